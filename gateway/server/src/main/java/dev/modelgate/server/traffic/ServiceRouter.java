package dev.modelgate.server.traffic;

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
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Puts services in front of the models: a name that is a service is split between its revisions
 * (explicit revision, header rules, weights) and mirrored to its shadow; any other name goes to the
 * models as it is. Answers name the service as {@code model_name} and the revision that answered as
 * {@code model_version}, so clients never need to know revisions exist but can see which one spoke.
 * A request reads the registry's snapshot once; the decision comes back resolved to the
 * {@link dev.modelgate.server.backend.RevisionBackend} that answers, whatever kind it is.
 */
public final class ServiceRouter implements InferenceService {
    private final ServiceRegistry services;
    private final InferenceService models;
    private final ShadowMirror mirror;

    /** @param models answers names that are not services (and lists model names) */
    public ServiceRouter(ServiceRegistry services, InferenceService models, ShadowMirror mirror) {
        this.services = services;
        this.models = models;
        this.mirror = mirror;
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
        CompiledService service = services.snapshot().find(ref.name());
        if (service == null) {
            return models.metadata(ref);
        }
        ServiceSpec spec = service.spec();
        List<String> revisions = ref.version().map(List::of).orElseGet(() ->
                spec.revisions().stream().map(RevisionSpec::name).toList());
        return service.backend(ref.version().orElse(spec.stable())).metadata()
                .as(ref.name(), revisions);
    }

    @Override
    public boolean modelReady(ModelRef ref) {
        CompiledService service = services.snapshot().find(ref.name());
        if (service == null) {
            return models.modelReady(ref);
        }
        if (ref.version().isPresent()) {
            return service.backend(ref.version().get()).ready();
        }
        return services.service(ref.name()).revisions().stream()
                .anyMatch(r -> r.ready() && r.effectiveWeight() > 0);
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(ModelRef ref, InferenceRequest request,
            RequestContext context) {
        CompiledService service = services.snapshot().find(ref.name());
        if (service == null) {
            return models.infer(ref, request, context);
        }
        TrafficTarget target;
        try {
            String key = request != null && request.id() != null ? request.id()
                    : context.requestId();
            target = service.route(ref.version().orElse(null),
                    new RequestRoutingKeys(context::header, key));
        } catch (InferenceException e) {
            return CompletableFuture.failedFuture(e);
        }
        TrafficDecision decision = target.decision();
        if (request == null && !target.backend().relaysBytes()) {
            // The snapshot changed since relaysUndecoded: this backend needs the decoded form.
            return CompletableFuture.failedFuture(InferenceException.unavailable("service "
                    + decision.service() + ": routing changed during the request (expected: retry)"));
        }
        context.record().routed(target.key());
        // A shadow compares decoded answers, so a shadowed request is never relayed as bytes.
        RequestContext forwarded = target.shadow() == null ? context : context.withRawBody(null);
        CompletableFuture<InferenceResponse> answer = target.backend().infer(request, forwarded)
                .thenApply(response -> response.as(decision.service(), decision.revision()));
        if (target.shadow() != null && request != null) {
            answer.thenAccept(primary -> mirror.mirror(decision.service(), decision.revision(),
                    decision.shadowRevision(), request, primary));
        }
        return answer;
    }

    @Override
    public boolean relaysUndecoded(ModelRef ref, RequestContext context) {
        CompiledService service = services.snapshot().find(ref.name());
        return service != null && context.rawBody() != null
                && service.relaysUndecoded(ref.version().orElse(null),
                        new RequestRoutingKeys(context::header, context.requestId()));
    }

    /**
     * How the shadow reaches a revision: straight to its backend, bypassing the split, with a
     * deadline of its own so a slow shadow never holds anything of the client's.
     */
    public static ShadowMirror.RevisionCall revisionCall(ServiceRegistry services,
            LongSupplier nanoClock, long timeoutNanos) {
        return (service, revision, request) -> {
            long now = nanoClock.getAsLong();
            RequestContext context = new RequestContext("shadow", Map.of(), now, now + timeoutNanos);
            try {
                return services.snapshot().service(service).backend(revision).infer(request, context)
                        .thenApply(response -> response.as(service, revision));
            } catch (InferenceException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }
}
