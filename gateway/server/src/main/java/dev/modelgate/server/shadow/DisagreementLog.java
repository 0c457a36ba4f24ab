package dev.modelgate.server.shadow;

import java.util.ArrayList;
import java.util.List;

/** The latest disagreements, oldest dropped first; a small fixed-size ring. */
public final class DisagreementLog {
    private final Disagreement[] ring;
    private long written;

    public DisagreementLog(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.ring = new Disagreement[capacity];
    }

    public synchronized void add(Disagreement disagreement) {
        ring[(int) (written % ring.length)] = disagreement;
        written++;
    }

    /** The kept disagreements, newest first. */
    public synchronized List<Disagreement> latest() {
        int kept = (int) Math.min(written, ring.length);
        List<Disagreement> out = new ArrayList<>(kept);
        for (long i = written - 1; i >= written - kept; i--) {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }
}
