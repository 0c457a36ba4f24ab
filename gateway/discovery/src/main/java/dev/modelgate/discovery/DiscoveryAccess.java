package dev.modelgate.discovery;

import java.util.List;
import java.util.Set;

/**
 * Every Kubernetes API access the gateway's discovery makes: the one list the informers check
 * themselves against ({@link #require}) and that {@code ManifestsIT} checks the gateway's RBAC
 * against, so its ClusterRole grants exactly what the code uses (informers list and watch;
 * nothing is read one by one or written).
 */
public enum DiscoveryAccess {
    /** The routing tables (ConfigMaps labelled {@code serving.modelgate.dev/routing-table}). */
    CONFIG_MAPS("", "configmaps", "list", "watch"),
    /** The pods behind each revision's Service. */
    ENDPOINT_SLICES("discovery.k8s.io", "endpointslices", "list", "watch");

    private final String group;
    private final String resource;
    private final Set<String> verbs;

    DiscoveryAccess(String group, String resource, String... verbs) {
        this.group = group;
        this.resource = resource;
        this.verbs = Set.of(verbs);
    }

    /** The API group ({@code ""} for the core group). */
    public String group() {
        return group;
    }

    public String resource() {
        return resource;
    }

    public Set<String> verbs() {
        return verbs;
    }

    /** Fails when the code is about to use a verb that this list, and so the RBAC, does not grant. */
    void require(String... used) {
        for (String verb : used) {
            if (!verbs.contains(verb)) {
                throw new IllegalStateException("access: " + resource + " " + verb + " (expected: one of "
                        + verbs + "; add it to DiscoveryAccess and to deploy/kubernetes/base/gateway-rbac.yaml)");
            }
        }
    }

    public static List<DiscoveryAccess> all() {
        return List.of(values());
    }
}
