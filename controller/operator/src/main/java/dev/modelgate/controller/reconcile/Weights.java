package dev.modelgate.controller.reconcile;

import java.util.ArrayList;
import java.util.List;

/**
 * Traffic shares of explicit revisions: a revision with no ready pod gets nothing (no request may reach a loading
 * model) and the ready ones share its part in proportion to their own, rounded by largest remainder so the shares
 * still add up to 100. With no ready revision at all the spec's shares stand: there is nothing better to route to.
 * A revision that may sit at zero counts as ready: the gateway holds its requests while it activates, and those held
 * requests are the only demand that can wake it (with weight 0 it would never be woken).
 */
final class Weights {

    private Weights() {
    }

    static List<PlannedRevision> onlyReady(List<PlannedRevision> planned) {
        int readyTotal = planned.stream().filter(PlannedRevision::serving).mapToInt(PlannedRevision::weight).sum();
        if (readyTotal == 0) {
            return planned;
        }
        int[] shares = new int[planned.size()];
        double[] remainders = new double[planned.size()];
        int given = 0;
        for (int i = 0; i < planned.size(); i++) {
            PlannedRevision r = planned.get(i);
            if (r.serving()) {
                double exact = r.weight() * 100.0 / readyTotal;
                shares[i] = (int) Math.floor(exact);
                remainders[i] = exact - shares[i];
                given += shares[i];
            }
        }
        for (int left = 100 - given; left > 0; left--) {
            int best = -1;
            for (int i = 0; i < planned.size(); i++) {
                if (planned.get(i).serving() && (best < 0 || remainders[i] > remainders[best])) {
                    best = i;
                }
            }
            shares[best]++;
            remainders[best] = -1;
        }
        List<PlannedRevision> out = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            PlannedRevision r = planned.get(i);
            out.add(new PlannedRevision(r.name(), r.model(), shares[i], r.replicas(), r.readyReplicas(),
                    r.retiredAt(), r.scaleToZero()));
        }
        return out;
    }
}
