package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test that leaks a Netty buffer. Netty's leak detector at PARANOID tracks every buffer and,
 * when one is garbage collected unreleased, logs "LEAK:" at the next allocation; this extension
 * listens to that log and, after each test, collects garbage and allocates until either a leak is
 * reported (the test fails) or none was for a while. The relay passes the replica's answer buffer
 * from connection to client without copying it, so a path that forgets a release (an error, a
 * deadline, a retry) shows here and not as a slow memory leak in production.
 */
final class NettyLeaks implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private static final String DETECTOR = ResourceLeakDetector.class.getName();
    private final ListAppender<ILoggingEvent> reports = new ListAppender<>();
    /** Vert.x (the admin plane) turns detection off when it loads unless this property is set. */
    private static final String LEVEL_PROPERTY = "io.netty.leakDetection.level";
    private ResourceLeakDetector.Level before;
    private String propertyBefore;

    @Override
    public void beforeAll(ExtensionContext context) {
        before = ResourceLeakDetector.getLevel();
        propertyBefore = System.setProperty(LEVEL_PROPERTY, "paranoid");
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        reports.start();
        ((Logger) LoggerFactory.getLogger(DETECTOR)).addAppender(reports);
        // A buffer an earlier test class dropped is reported when the collector finds it, which
        // may be during this class: such leaks are reported here, then not charged to this class.
        List<String> earlier = collectLeaks(Duration.ofMillis(200));
        if (!earlier.isEmpty()) {
            // NettyLeaksTest drives the extension by hand, with no context.
            String who = context == null ? "this test" : context.getDisplayName();
            System.err.println("Netty buffers leaked before " + who + ": " + earlier);
        }
        synchronized (reports) {
            reports.list.clear();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        assertThat(ResourceLeakDetector.getLevel()).as("leak detection level during the test")
                .isEqualTo(ResourceLeakDetector.Level.PARANOID);
        try {
            assertThat(collectLeaks(Duration.ofMillis(500))).as("Netty buffers leaked").isEmpty();
        } finally {
            synchronized (reports) {
                reports.list.clear(); // each test answers for its own leaks
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ((Logger) LoggerFactory.getLogger(DETECTOR)).detachAppender(reports);
        reports.stop();
        ResourceLeakDetector.setLevel(before);
        if (propertyBefore == null) {
            System.clearProperty(LEVEL_PROPERTY);
        } else {
            System.setProperty(LEVEL_PROPERTY, propertyBefore);
        }
    }

    /**
     * Collects garbage and allocates (the detector reports on allocation) until a leak is
     * reported or {@code quiet} passed without one, and returns the leaks reported.
     */
    List<String> collectLeaks(Duration quiet) {
        try {
            Awaitility.await().pollInterval(Duration.ofMillis(50)).atMost(quiet).until(() -> {
                System.gc();
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(1);
                probe.release();
                return !leaks().isEmpty();
            });
        } catch (ConditionTimeoutException quietAllAlong) {
            // no leak reported
        }
        return leaks();
    }

    private List<String> leaks() {
        synchronized (reports) {
            return reports.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(message -> message.contains("LEAK")).toList();
        }
    }
}
