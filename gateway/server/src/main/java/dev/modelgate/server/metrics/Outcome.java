package dev.modelgate.server.metrics;

import dev.modelgate.api.InferenceException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * How an inference request ended, as a bounded tag: the outcome, its HTTP status class (gRPC
 * requests get the class their REST twin would) and, for requests turned away without running,
 * the rejection reason.
 */
enum Outcome {
    OK("ok", "2xx", null),
    INVALID("invalid", "4xx", null),
    NOT_FOUND("not_found", "4xx", null),
    RATE_LIMITED("rejected", "4xx", "rate_limited"),
    QUEUE_FULL("rejected", "5xx", "queue_full"),
    UNAVAILABLE("unavailable", "5xx", "unavailable"),
    TIMEOUT("timeout", "5xx", "deadline"),
    ERROR("error", "5xx", null);

    final String tag;
    final String statusClass;
    final String rejectReason;

    Outcome(String tag, String statusClass, String rejectReason) {
        this.tag = tag;
        this.statusClass = statusClass;
        this.rejectReason = rejectReason;
    }

    /** The outcome of an answer known only by its HTTP status (it never reached a model). */
    static Outcome ofStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 429 -> RATE_LIMITED;
            case 503 -> UNAVAILABLE;
            case 504 -> TIMEOUT;
            default -> status < 400 ? OK : status < 500 ? INVALID : ERROR;
        };
    }

    static Outcome of(Throwable failure) {
        if (failure == null) {
            return OK;
        }
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof java.util.concurrent.RejectedExecutionException) {
            return QUEUE_FULL;
        }
        if (!(cause instanceof InferenceException e)) {
            return ERROR;
        }
        return switch (e.kind()) {
            case INVALID_ARGUMENT -> INVALID;
            case NOT_FOUND -> NOT_FOUND;
            case UNAVAILABLE -> UNAVAILABLE;
            case DEADLINE_EXCEEDED -> TIMEOUT;
            // A full model queue (service.QueueFullException) is the server's saturation, answered
            // 503; other RESOURCE_EXHAUSTED are limits on the caller (429). Matched by name so this
            // package does not depend on where the batching host throws it from.
            case RESOURCE_EXHAUSTED -> e.getClass().getSimpleName().equals("QueueFullException")
                    || e.getMessage() != null && e.getMessage().contains("queue")
                    ? QUEUE_FULL : RATE_LIMITED;
            case INTERNAL -> ERROR;
        };
    }
}
