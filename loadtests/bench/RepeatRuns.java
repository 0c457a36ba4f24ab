import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Runs one test method N times in a row in one JVM and prints each outcome: how a flaky test is
 * shown fixed (issue 17 asks for 20 green runs in a row). Usage: RepeatRuns CLASS#METHOD N; run by
 * loadtests/bench/repeat-test.sh, which builds the class path.
 */
public class RepeatRuns {
    public static void main(String[] args) {
        Launcher launcher = LauncherFactory.create();
        int n = Integer.parseInt(args[1]);
        int failed = 0;
        for (int i = 1; i <= n; i++) {
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            long start = System.nanoTime();
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectMethod(args[0])).build(), listener);
            var s = listener.getSummary();
            boolean ok = s.getTestsSucceededCount() == 1 && s.getTotalFailureCount() == 0;
            if (!ok) { failed++; s.getFailures().forEach(f -> f.getException().printStackTrace()); }
            System.out.printf("run %d: %s %d ms%n", i, ok ? "pass" : "FAIL", (System.nanoTime() - start) / 1_000_000);
        }
        System.out.printf("%d of %d passed%n", n - failed, n);
        System.exit(failed == 0 ? 0 : 1);
    }
}
