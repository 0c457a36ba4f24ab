package dev.modelgate.server.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM (and SIGINT) as a request to drain: the JVM's default handling runs shutdown hooks and
 * exits 143, which a pod's controller reads as a failure; here the signal starts the drain on a
 * thread of its own and the command returns 0 once the server closed. {@code sun.misc.Signal} is
 * the only JDK way to do this (jdk.unsupported, stable since Java 9); where it is missing the
 * shutdown hook the caller also registers still closes the server.
 */
final class Termination {
    private static final Logger log = LoggerFactory.getLogger(Termination.class);

    private Termination() {
    }

    /** Runs {@code drain} once, on its own thread, on the first SIGTERM or SIGINT. */
    static void onSignal(Runnable drain) {
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (started.compareAndSet(false, true)) {
                        log.info("SIG{} received: draining", name);
                        Thread thread = new Thread(drain, "modelgate-drain");
                        thread.start();
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.debug("No handler for SIG{}: {}", name, e.toString());
            }
        }
    }
}
