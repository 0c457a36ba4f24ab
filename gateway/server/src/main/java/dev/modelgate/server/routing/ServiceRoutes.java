package dev.modelgate.server.routing;

import dev.modelgate.api.InferenceException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One service's routing, frozen: built once per change of policy or readiness, then read by every
 * request without locks. A request sees one snapshot or the next, never a mix.
 *
 * <p>The weighted split is weighted rendezvous hashing: each ready revision draws
 * {@code weight / -ln(u)} with {@code u} a stable hash of (key, revision) and the highest draw
 * wins. A revision wins with probability exactly its weight over the sum of ready weights, so
 * dropping an unready revision renormalises the rest, and raising one weight moves keys only
 * towards that revision: going from 10 to 20 (the others shrinking in proportion, as in any
 * two-way split) moves just the keys in the added slice.
 */
public final class ServiceRoutes {
    private static final long SHADOW_SALT = RoutingHash.of("modelgate-shadow");

    private final String service;
    private final TrafficPolicy policy;
    private final String[] revisions;
    private final long[] revisionHashes;
    private final double[] weights;
    private final List<HeaderRule.CompiledRule> rules;
    private final Set<String> ready;
    private final Map<String, Double> effectiveWeights;

    private ServiceRoutes(String service, TrafficPolicy policy, Set<String> ready) {
        this.service = service;
        this.policy = policy;
        this.ready = Set.copyOf(ready);
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : policy.weights().entrySet()) {
            if (entry.getValue() > 0 && ready.contains(entry.getKey())) {
                names.add(entry.getKey());
            }
        }
        this.revisions = names.toArray(String[]::new);
        this.revisionHashes = new long[revisions.length];
        this.weights = new double[revisions.length];
        double total = 0;
        for (int i = 0; i < revisions.length; i++) {
            revisionHashes[i] = RoutingHash.of(revisions[i]);
            weights[i] = policy.weight(revisions[i]);
            total += weights[i];
        }
        Map<String, Double> effective = new LinkedHashMap<>();
        for (String revision : policy.weights().keySet()) {
            effective.put(revision, 0.0);
        }
        for (int i = 0; i < revisions.length; i++) {
            effective.put(revisions[i], 100.0 * weights[i] / total);
        }
        this.effectiveWeights = Collections.unmodifiableMap(effective);
        this.rules = policy.rules().stream().map(HeaderRule::compile).toList();
    }

    /**
     * @param ready the revisions that can take traffic now; the others get none
     */
    public static ServiceRoutes of(String service, TrafficPolicy policy, Set<String> ready) {
        return new ServiceRoutes(service, policy, ready);
    }

    public String service() {
        return service;
    }

    public TrafficPolicy policy() {
        return policy;
    }

    /** The share of traffic each revision gets now, in percent, after renormalising over ready ones. */
    public Map<String, Double> effectiveWeights() {
        return effectiveWeights;
    }

    /**
     * Picks the revision for a request: header rules first (to a ready revision), then the
     * weighted split by the routing key.
     *
     * @throws InferenceException UNAVAILABLE when no revision with traffic is ready
     */
    public TrafficDecision route(RequestRoutingKeys request) {
        String key = routingKey(request);
        for (HeaderRule.CompiledRule rule : rules) {
            if (rule.matches(request.headers()) && ready.contains(rule.rule().revision())) {
                return decision(rule.rule().revision(), TrafficDecision.Reason.RULE, key);
            }
        }
        if (revisions.length == 0) {
            throw InferenceException.unavailable("service " + service
                    + ": no ready revision with traffic (weights " + policy.weights() + ", ready "
                    + ready + ")");
        }
        return decision(pick(RoutingHash.of(key)), TrafficDecision.Reason.WEIGHT, key);
    }

    /** Routes to a revision the client named, whatever its weight; it must exist and be ready. */
    public TrafficDecision explicit(String revision, RequestRoutingKeys request) {
        if (!policy.weights().containsKey(revision)) {
            throw InferenceException.notFound("model " + service + " version: " + revision
                    + " (expected one of " + policy.weights().keySet() + ")");
        }
        if (!ready.contains(revision)) {
            throw InferenceException.unavailable("revision " + revision + " of service " + service
                    + ": not ready");
        }
        return decision(revision, TrafficDecision.Reason.EXPLICIT, routingKey(request));
    }

    /** A decision with its shadow, which is never the revision that answers. */
    private TrafficDecision decision(String revision, TrafficDecision.Reason reason, String key) {
        String shadow = shadowFor(key);
        return new TrafficDecision(service, revision, reason, revision.equals(shadow) ? null : shadow);
    }

    String pick(long keyHash) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < revisions.length; i++) {
            double u = RoutingHash.unit(RoutingHash.combine(keyHash, revisionHashes[i]));
            double score = weights[i] / -Math.log(u);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return revisions[best];
    }

    /**
     * Whether routing this request needs its body: a shadow may copy it (a comparison needs the
     * decoded form), or the weighted split has more than one revision and no key came from the
     * headers, so the body's {@code id} would be the key. Rules read headers only.
     *
     * @param explicit whether the client named the revision (the split is skipped)
     */
    public boolean needsBody(RequestRoutingKeys request, boolean explicit) {
        ShadowPolicy shadow = policy.shadow();
        if (shadow != null && shadow.percent() > 0) {
            return true;
        }
        if (explicit || revisions.length <= 1) {
            return false;
        }
        String key = keyFromHeaders(request);
        return key == null || key.isEmpty();
    }

    private String shadowFor(String key) {
        ShadowPolicy shadow = policy.shadow();
        if (shadow == null || shadow.percent() == 0 || !ready.contains(shadow.revision())) {
            return null;
        }
        double u = RoutingHash.unit(RoutingHash.combine(RoutingHash.of(key), SHADOW_SALT));
        return u * 100 < shadow.percent() ? shadow.revision() : null;
    }

    private String keyFromHeaders(RequestRoutingKeys request) {
        RoutingKeySource source = policy.routingKey();
        if (source.header() != null) {
            return request.headers().apply(source.header());
        }
        return source.cookie() != null ? request.cookie(source.cookie()) : null;
    }

    private String routingKey(RequestRoutingKeys request) {
        String key = keyFromHeaders(request);
        if (key == null || key.isEmpty()) {
            key = request.requestId();
        }
        if (key == null || key.isEmpty()) {
            key = Long.toHexString(ThreadLocalRandom.current().nextLong());
        }
        return key;
    }
}
