package dev.modelgate.server.service;

import java.util.Objects;
import java.util.function.Function;

/**
 * One revision of a service as a routing snapshot knows it, made once per snapshot and handed to
 * each request it routes ({@link RequestRecord#routed(RevisionKey)}). What a step of the request
 * path keeps per revision (the metrics filter's meters) is resolved once, on first use, and then
 * found from the request itself: no lookup by name, no tags built, nothing allocated per request.
 * The key knows nothing of what is kept: an owner memoizes its own value on it.
 */
public final class RevisionKey {
    private final String service;
    private final String revision;
    private volatile Memo memo;

    private record Memo(Object owner, Object value) {
    }

    public RevisionKey(String service, String revision) {
        this.service = Objects.requireNonNull(service, "service");
        this.revision = Objects.requireNonNull(revision, "revision");
    }

    public String service() {
        return service;
    }

    public String revision() {
        return revision;
    }

    /**
     * What {@code owner} resolves for this revision, resolved on first use. One owner's value is
     * kept (a process has one metrics registry); another owner's is resolved on every call, which
     * stays correct, only slower.
     *
     * @param resolve a function the owner holds (a lambda made per call would allocate)
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(Object owner, Function<RevisionKey, T> resolve) {
        Memo known = memo;
        if (known != null && known.owner == owner) {
            return (T) known.value;
        }
        T value = resolve.apply(this);
        if (known == null) {
            memo = new Memo(owner, value);
        }
        return value;
    }

    @Override
    public String toString() {
        return service + "/" + revision;
    }
}
