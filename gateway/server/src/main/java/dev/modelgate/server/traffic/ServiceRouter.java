package dev.modelgate.server.traffic;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.server.routing.RequestRoutingKeys;
import dev.modelgate.server.routing.TrafficDecision;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.shadow.ShadowMirror;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Puts services in front of the models: a name that is a service is split between its revisions
 * (explicit revision, header rules, weights) and mirrored to its shadow; any other name goes to the
 * models as it is. Answers name the service as {@code model_name} and the revision that answered as
 * {@code model_version}, so clients never need to know revisions exist but can see which one spoke.
 */
public final class ServiceRouter implements InferenceService {
    private final ServiceRegistry services;
    private final InferenceService models;
    private final ShadowMirror mirror;
    private final RemoteRevisions remote;

    public ServiceRouter(ServiceRegistry services, InferenceService models, ShadowMirror mirror) {
        this(services, models, mirror, RemoteRevisions.NONE);
    }

    /** @param remote how revisions backed by remote replicas are reached */
    public ServiceRouter(ServiceRegistry services, InferenceService models, ShadowMirror mirror,
            RemoteRevisions remote) {
        this.services = services;
        this.models = models;
        this.mirror = mirror;
        this.remote = remote;
    }

    /** The models as the registry sees them, with remote revisions answered by {@code remote}. */
    public static ModelAvailability availability(InferenceService models, RemoteRevisions remote) {
        ModelAvailability local = availability(models);
        return new ModelAvailability() {
            @Override
            public boolean exists(String model, String version) {
                return local.exists(model, version);
            }

            @Override
            public boolean ready(String model, String version) {
                return local.ready(model, version);
            }

            @Override
            public boolean exists(RevisionSpec revision) {
                return revision.isRemote() || local.exists(revision);
            }

            @Override
            public boolean ready(RevisionSpec revision) {
                return revision.isRemote() ? remote.ready(revision) : local.ready(revision);
            }
        };
    }

    /** The models as the registry sees them: a version exists when the models know it. */
    public static ModelAvailability availability(InferenceService models) {
        return new ModelAvailability() {
            @Override
            public boolean exists(String model, String version) {
                try {
                    models.modelReady(ModelRef.of(model, version));
                    return true;
                } catch (InferenceException e) {
                    if (e.kind() == ErrorKind.NOT_FOUND) {
                        return false;
                    }
                    throw e;
                }
            }

            @Override
            public boolean ready(String model, String version) {
                return exists(model, version) && models.modelReady(ModelRef.of(model, version));
            }
        };
    }

    @Override
    public ServerMetadata serverMetadata() {
        return models.serverMetadata();
    }

    @Override
    public boolean ready() {
        return models.ready();
    }

    @Override
    public List<String> modelNames() {
        TreeSet<String> names = new TreeSet<>(models.modelNames());
        names.addAll(services.names());
        return List.copyOf(names);
    }

    @Override
    public ModelMetadata metadata(ModelRef ref) {
        if (!services.has(ref.name())) {
            return models.metadata(ref);
        }
        ServiceStatus status = services.service(ref.name());
        RevisionSpec revision = services.revision(ref.name(), ref.version().orElse(status.stable()));
        List<String> revisions = ref.version().map(List::of).orElseGet(() ->
                status.revisions().stream().map(r -> r.spec().name()).toList());
        ModelMetadata metadata = revision.isRemote() ? remote.metadata(revision)
                : models.metadata(modelOf(revision));
        return metadata.as(ref.name(), revisions);
    }

    @Override
    public boolean modelReady(ModelRef ref) {
        if (!services.has(ref.name())) {
            return models.modelReady(ref);
        }
        if (ref.version().isPresent()) {
            RevisionSpec revision = services.revision(ref.name(), ref.version().get());
            return revision.isRemote() ? remote.ready(revision) : models.modelReady(modelOf(revision));
        }
        return services.service(ref.name()).revisions().stream()
                .anyMatch(r -> r.ready() && r.effectiveWeight() > 0);
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(ModelRef ref, InferenceRequest request,
            RequestContext context) {
        if (!services.has(ref.name())) {
            return models.infer(ref, request, context);
        }
        TrafficDecision decision;
        try {
            String key = request.id() != null ? request.id() : context.requestId();
            decision = services.route(ref.name(), ref.version().orElse(null),
                    new RequestRoutingKeys(context::header, key));
        } catch (InferenceException e) {
            return CompletableFuture.failedFuture(e);
        }
        RevisionSpec revision = services.revision(decision.service(), decision.revision());
        context.record().routed(decision.service(), decision.revision());
        // A shadow compares decoded answers, so a shadowed request is never relayed as bytes.
        RequestContext forwarded = decision.shadowRevision() == null ? context
                : context.withRawBody(null);
        CompletableFuture<InferenceResponse> answer = (revision.isRemote()
                ? remote.infer(decision.service(), revision, request, forwarded)
                : models.infer(modelOf(revision), request, forwarded))
                .thenApply(response -> response.as(decision.service(), decision.revision()));
        if (decision.shadowRevision() != null) {
            answer.thenAccept(primary -> mirror.mirror(decision.service(), decision.revision(),
                    decision.shadowRevision(), request, primary));
        }
        return answer;
    }

    /**
     * How the shadow reaches a revision: straight to its model, bypassing the split, with a deadline
     * of its own so a slow shadow never holds anything of the client's.
     */
    public static ShadowMirror.RevisionCall revisionCall(ServiceRegistry services,
            InferenceService models, java.util.function.LongSupplier nanoClock, long timeoutNanos) {
        return revisionCall(services, models, RemoteRevisions.NONE, nanoClock, timeoutNanos);
    }

    /** As above, with remote revisions reached through their backends (admission, deadline...). */
    public static ShadowMirror.RevisionCall revisionCall(ServiceRegistry services,
            InferenceService models, RemoteRevisions remote, java.util.function.LongSupplier nanoClock,
            long timeoutNanos) {
        return (service, revision, request) -> {
            long now = nanoClock.getAsLong();
            RequestContext context = new RequestContext("shadow", java.util.Map.of(), now,
                    now + timeoutNanos);
            try {
                RevisionSpec spec = services.revision(service, revision);
                return (spec.isRemote() ? remote.infer(service, spec, request, context)
                        : models.infer(modelOf(spec), request, context))
                        .thenApply(response -> response.as(service, revision));
            } catch (InferenceException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }

    private static ModelRef modelOf(RevisionSpec revision) {
        return ModelRef.of(revision.model(), revision.version());
    }
}
