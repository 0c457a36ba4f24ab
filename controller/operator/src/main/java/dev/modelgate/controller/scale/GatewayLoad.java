package dev.modelgate.controller.scale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The autoscaler's input for one sampling second: the load of each revision summed over every gateway pod that
 * answered, as Knative's autoscaler sums what it scrapes from each queue-proxy. Every gateway pod routes a share of
 * the requests, so the revision's load is the sum of the shares; a pod that did not answer is left out (its share
 * is missing from that second, an under-estimate the stable window smooths), and a second in which no pod answered
 * is marked so that nothing scales down on it.
 *
 * @param asked gateway pods asked
 * @param answered gateway pods that answered
 * @param load per revision, the summed load
 */
public record GatewayLoad(int asked, int answered, Map<RevisionKey, Load> load) {

    /** Copies the map. */
    public GatewayLoad {
        load = Map.copyOf(load);
    }

    /**
     * One revision's load.
     *
     * @param concurrency mean requests in flight over the second (held ones included)
     * @param rps arrivals per second
     * @param inFlight requests in flight at the end of the second
     */
    public record Load(double concurrency, double rps, long inFlight) {

        static final Load NONE = new Load(0, 0, 0);

        Load plus(Load other) {
            return new Load(concurrency + other.concurrency, rps + other.rps, inFlight + other.inFlight);
        }
    }

    /**
     * One row of a gateway's {@code GET /admin/autoscaler/stats}.
     *
     * @param key the revision
     * @param load what this gateway measured for it over its last second
     */
    public record Row(RevisionKey key, Load load) {
    }

    /** Whether any gateway pod answered: without one, no decision may lower a count. */
    public boolean anyAnswered() {
        return answered > 0;
    }

    /** A revision's summed load; zero when no answering gateway routed to it. */
    public Load of(RevisionKey key) {
        return load.getOrDefault(key, Load.NONE);
    }

    /** Sums the answers; an empty answer is a pod that did not answer. */
    public static GatewayLoad sum(List<Optional<List<Row>>> answers) {
        Map<RevisionKey, Load> sums = new LinkedHashMap<>();
        int answered = 0;
        for (Optional<List<Row>> answer : answers) {
            if (answer.isEmpty()) {
                continue;
            }
            answered++;
            for (Row row : answer.get()) {
                sums.merge(row.key(), row.load(), Load::plus);
            }
        }
        return new GatewayLoad(answers.size(), answered, sums);
    }

    /**
     * The rows of a stats answer, {@code {"at": ms, "revisions": [[service, revision, concurrency, rps, in-flight],
     * ...]}} (the gateway's compact shape, see its {@code ScalingRoutes}).
     *
     * @throws IllegalArgumentException naming the first row that does not have that shape
     */
    public static List<Row> parse(Map<String, ?> body) {
        Object revisions = body.get("revisions");
        if (!(revisions instanceof List<?> list)) {
            throw new IllegalArgumentException("revisions: " + revisions + " (expected: an array of rows)");
        }
        List<Row> rows = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof List<?> row) || row.size() < 5 || !(row.get(0) instanceof String service)
                    || !(row.get(1) instanceof String revision) || !(row.get(2) instanceof Number concurrency)
                    || !(row.get(3) instanceof Number rps) || !(row.get(4) instanceof Number inFlight)) {
                throw new IllegalArgumentException("revisions row: " + item
                        + " (expected: [service, revision, concurrency, rps, in-flight])");
            }
            rows.add(new Row(new RevisionKey(service, revision),
                    new Load(concurrency.doubleValue(), rps.doubleValue(), inFlight.longValue())));
        }
        return rows;
    }
}
