package dev.modelgate.server.remote;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * Picks a replica among the available ones. Power of two choices (the default) samples two at
 * random and takes the one with fewer requests outstanding: nearly as good as least-loaded, with no
 * herding on the one replica that just looked idle. Round robin is there for replicas known to be
 * identical and for comparison.
 */
interface Balancer {
    /** @param candidates the available replicas, never empty */
    Replica pick(List<Replica> candidates);

    /** @param random returns a uniform int in [0, bound) for each bound */
    static Balancer powerOfTwoChoices(IntUnaryOperator random) {
        return candidates -> {
            int n = candidates.size();
            if (n == 1) {
                return candidates.get(0);
            }
            int a = random.applyAsInt(n);
            int b = random.applyAsInt(n - 1);
            if (b >= a) {
                b++;
            }
            Replica first = candidates.get(a);
            Replica second = candidates.get(b);
            return second.outstanding() < first.outstanding() ? second : first;
        };
    }

    static Balancer roundRobin() {
        AtomicInteger next = new AtomicInteger();
        return candidates -> candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
    }

    static Balancer named(String name) {
        return name.equals("round-robin") ? roundRobin()
                : powerOfTwoChoices(bound -> java.util.concurrent.ThreadLocalRandom.current().nextInt(bound));
    }
}
