package dev.modelgate.server;

import dev.modelgate.api.InferenceException;
import dev.modelgate.server.service.ErrorStatus;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * The one contract every Jazzer target checks: a reader of hostile input answers a value or the
 * project's typed client error (an {@link InferenceException} whose kind maps to a 4xx, or a
 * {@code ConfigException} for configuration), never any other exception, and never allocates
 * far more than its input could justify. Anything else escapes as an {@link AssertionError} or
 * the original exception, which Jazzer reports as a finding with the input that caused it.
 *
 * <p>Why a byte budget rather than a heap limit: a reader that sizes an array from a declared
 * shape before checking the data (400 MB from a 70-byte body) is the bug we look for, and the
 * thread's allocation counter sees it at once, in regression mode too, without tuning -Xmx.
 */
public final class FuzzContract {
    /** Fixed allowance for parser buffers, caches and class initialisation on the first call. */
    static final long BASE_BUDGET = 16L << 20;
    /** Allowance per input byte: a JSON tree node per character is the worst legitimate case. */
    static final long PER_BYTE_BUDGET = 256;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzContract() {
    }

    /** Runs {@code read} over an input of {@code inputLength} bytes and checks the contract. */
    public static <T> T readOrClientError(int inputLength, Supplier<T> read) {
        return readOr(inputLength, read, InferenceException.class);
    }

    /**
     * Like {@link #readOrClientError} but {@code typed} is also a legitimate answer (the
     * configuration readers' {@code ConfigException}).
     */
    public static <T> T readOr(int inputLength, Supplier<T> read,
            Class<? extends RuntimeException> typed) {
        return measured(inputLength, () -> check(read, typed));
    }

    /**
     * Like {@link #readOr} but {@code typed} is the only legitimate failure: a reader of a
     * replica's answer fails with the exception its transport turns into a 502, and a client
     * error (an {@link InferenceException} of a 4xx kind) from it would blame the client for the
     * replica's fault.
     */
    public static <T> T readOrOnly(int inputLength, Supplier<T> read,
            Class<? extends RuntimeException> typed) {
        return measured(inputLength, () -> {
            try {
                return read.get();
            } catch (RuntimeException e) {
                if (!typed.isInstance(e)) {
                    throw e;
                }
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    throw new AssertionError("a " + typed.getSimpleName() + " without a message", e);
                }
                return null;
            }
        });
    }

    private static <T> T measured(int inputLength, Supplier<T> run) {
        long budget = BASE_BUDGET + PER_BYTE_BUDGET * inputLength;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        T value = run.get();
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (allocated > budget) {
            // The first input down a path loads and instruments classes on this thread; the
            // readers are deterministic, so a second run measures the input alone.
            before = THREADS.getCurrentThreadAllocatedBytes();
            run.get();
            allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (allocated > budget) {
                throw new AssertionError("allocated " + allocated + " bytes for a " + inputLength
                        + "-byte input (budget: " + budget + ")");
            }
        }
        return value;
    }

    private static <T> T check(Supplier<T> read, Class<? extends RuntimeException> typed) {
        try {
            return read.get();
        } catch (InferenceException e) {
            int status = ErrorStatus.httpStatus(e.kind());
            if (status < 400 || status >= 500) {
                throw new AssertionError("a " + status + " (" + e.kind() + ") for client input: "
                        + e.getMessage(), e);
            }
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("a client error without a message", e);
            }
            return null;
        } catch (RuntimeException e) {
            if (!typed.isInstance(e)) {
                throw e;
            }
            return null;
        }
    }
}
