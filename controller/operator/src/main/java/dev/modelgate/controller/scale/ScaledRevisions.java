package dev.modelgate.controller.scale;

import dev.modelgate.autoscaler.AutoscalerConfig;
import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentStatus;
import dev.modelgate.controller.reconcile.Names;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which revisions of a ModelDeployment the autoscaler drives, and with what configuration: every running revision
 * except those the reconcile owns the count of, a retired one (draining at its last size, then deleted) and a
 * rolled-back canary (held at zero). A ModelDeployment the reconcile has not reported on yet, or one being
 * deleted, has none.
 */
public final class ScaledRevisions {

    private ScaledRevisions() {
    }

    /**
     * One revision under the autoscaler.
     *
     * @param key the gateway's names for it (its stats rows)
     * @param namespace the namespace of its Deployment
     * @param deployment its Deployment
     * @param config the loop's configuration
     */
    public record ScaledRevision(RevisionKey key, String namespace, String deployment, AutoscalerConfig config) {
    }

    /** The revisions to scale; a spec the autoscaler refuses is left out with its problems in {@code refused}. */
    public static List<ScaledRevision> of(ModelDeployment md, List<Deployment> owned, List<String> refused) {
        ModelDeploymentStatus status = md.getStatus();
        if (md.getMetadata().getDeletionTimestamp() != null || status == null || md.getSpec() == null) {
            return List.of();
        }
        String name = md.getMetadata().getName();
        String namespace = md.getMetadata().getNamespace();
        boolean aborted = status.conditions() != null && status.conditions().stream()
                .anyMatch(c -> "RolloutAborted".equals(c.getType()) && "True".equals(c.getStatus()));
        List<ScaledRevision> out = new ArrayList<>();
        for (Deployment d : owned) {
            String revision = d.getMetadata().getName();
            Map<String, String> annotations = d.getMetadata().getAnnotations();
            boolean retired = annotations != null && annotations.containsKey(Names.RETIRED_AT_ANNOTATION);
            boolean canary = revision.equals(status.canaryRevision());
            if (retired || canary && aborted) {
                continue;
            }
            try {
                Optional<AutoscalerConfig> config = ScaleSettings.forRevision(md.getSpec(), canary);
                config.ifPresent(c -> out.add(new ScaledRevision(new RevisionKey(name, revision), namespace,
                        revision, c)));
            } catch (RuntimeException e) {
                refused.add(namespace + "/" + name + ": " + e.getMessage());
            }
        }
        return out;
    }
}
