package dev.modelgate.controller.kube;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the controller runs: who it is in the leader election, where the lock lives, the election's timing and how
 * many workers reconcile. Validated once; every problem is reported as {@code name: value (expected: constraint)}.
 *
 * @param identity this replica's name in the election (the pod name)
 * @param leaseNamespace the namespace of the Lease
 * @param leaseName the Lease's name
 * @param leaseDuration how long a leader's claim holds without renewal
 * @param renewDeadline how long the leader keeps trying to renew before it steps down
 * @param retryPeriod how often candidates try to acquire and the leader renews
 * @param workers reconcile threads (one key is never reconciled by two at once)
 */
public record ControllerOptions(String identity, String leaseNamespace, String leaseName, Duration leaseDuration,
        Duration renewDeadline, Duration retryPeriod, int workers) {

    /** The values of the reference design: 15 s lease, 10 s renew deadline, 2 s retry, two workers. */
    public static ControllerOptions defaults(String identity, String leaseNamespace) {
        return new ControllerOptions(identity, leaseNamespace, "modelgate-controller-leader", Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(2), 2);
    }

    /** Checks every field, reporting all problems at once. */
    public ControllerOptions {
        List<String> problems = new ArrayList<>();
        if (identity == null || identity.isBlank()) {
            problems.add("identity: " + identity + " (expected: a non-empty name, the pod name)");
        }
        if (leaseNamespace == null || leaseNamespace.isBlank()) {
            problems.add("lease-namespace: " + leaseNamespace + " (expected: a namespace)");
        }
        if (leaseName == null || !leaseName.matches("[a-z0-9]([-.a-z0-9]*[a-z0-9])?")) {
            problems.add("lease-name: " + leaseName + " (expected: a DNS subdomain)");
        }
        if (leaseDuration == null || renewDeadline == null || retryPeriod == null
                || retryPeriod.isNegative() || retryPeriod.isZero()
                || renewDeadline.compareTo(retryPeriod) <= 0 || leaseDuration.compareTo(renewDeadline) <= 0) {
            problems.add("lease-duration/renew-deadline/retry-period: " + leaseDuration + "/" + renewDeadline + "/"
                    + retryPeriod + " (expected: lease-duration > renew-deadline > retry-period > 0)");
        }
        if (workers < 1 || workers > 64) {
            problems.add("workers: " + workers + " (expected: 1..64)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }
}
