package dev.modelgate.server.cli;

import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a local replica exit when the gateway that started it goes away, so no child outlives it,
 * not even after a {@code kill -9} of the gateway (which runs no shutdown hook). Two independent
 * signals, because each one alone has a gap: the parent's pid ({@code ProcessHandle.onExit}, which
 * the JDK polls for a process that is not our child) can be reused, and standard input is only a
 * signal when the parent kept the pipe open. The gateway keeps its end of the child's stdin open
 * for the child's life; the kernel closes it when the gateway dies, however it dies, and the read
 * below sees end of file at once.
 */
final class ParentWatch {
    private static final Logger log = LoggerFactory.getLogger(ParentWatch.class);

    private ParentWatch() {
    }

    /** Exits this JVM (shutdown hooks close the server) when {@code pid} ends or stdin closes. */
    static void exitWithParent(long pid) {
        ProcessHandle.of(pid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> exit("parent " + pid + " exited")),
                () -> exit("parent " + pid + " is gone"));
        Thread stdin = new Thread(() -> {
            InputStream in = System.in;
            try {
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                    // the parent writes nothing; only the end of the stream matters
                }
            } catch (IOException e) {
                log.debug("stdin: {}", e.toString());
            }
            exit("standard input closed (parent " + pid + " gone)");
        }, "modelgate-parent-watch");
        stdin.setDaemon(true);
        stdin.start();
    }

    private static void exit(String why) {
        log.info("Exiting: {}", why);
        System.exit(0);
    }
}
