package dev.modelgate.server.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.PayloadTooLargeException;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The one place that builds the parsers for everything the server reads from outside: inference
 * bodies (REST, KServe V1, the binary extension's JSON header), replica answers, admin bodies and
 * YAML config. Jackson's defaults are generous (1,000 levels, 1,000-digit numbers, 20 M-character
 * strings) and a violation surfaced as an I/O error, which the transports answered 500; here every
 * limit is chosen for what the protocol needs and a violation is a typed refusal, so each reader
 * turns it into a 400 (shape: depth, number, name) or a 413 (size: a string), never a 500.
 *
 * <p>The values, documented in the README's limits table:
 * <ul>
 *   <li>nesting depth 64: an OIP body is 3 levels plus the tensor's rank when {@code data} is
 *       nested; admin and config documents are under 10;</li>
 *   <li>number length 400 characters: every double written out positionally (309 integer digits
 *       plus 17 significant) fits, a 1,500-digit number does not;</li>
 *   <li>string length 16 Mi characters: a BYTES element, a base64 image in V1; larger tensors belong
 *       in the binary extension, and the body as a whole is bounded by {@code max-request-size};</li>
 *   <li>name length 1,024 characters: field names are protocol keys and parameter names.</li>
 * </ul>
 * Whole-document length is left to {@code max-request-size} (the HTTP aggregator) and the admin
 * API's 1 MiB body limit.
 */
public final class JsonLimits {
    /** Arrays and objects inside one another, the document's own included. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Characters of one number literal. */
    public static final int MAX_NUMBER_LENGTH = 400;
    /** Characters of one string value. */
    public static final int MAX_STRING_LENGTH = 16 << 20;
    /** Characters of one field name. */
    public static final int MAX_NAME_LENGTH = 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(new Limits())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // FastDoubleParser: correctly rounded like Double.parseDouble, several times faster;
            // a JSON tensor is mostly number literals (1,024 floats parsed per MLP request).
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private JsonLimits() {
    }

    /** The limited JSON factory; thread-safe, shared by the codec's streaming readers. */
    static JsonFactory json() {
        return JSON;
    }

    /**
     * A new mapper over the limited JSON factory, for the tree readers (admin, V1, replica
     * metadata). Each mapper gets its own factory instance with the same settings, since a mapper
     * makes itself its factory's codec.
     */
    public static ObjectMapper jsonMapper() {
        return JsonMapper.builder(JSON.rebuild().streamReadConstraints(new Limits()).build())
                .build();
    }

    /** A new mapper for YAML config files with the same limits (SnakeYAML's nesting too). */
    public static ObjectMapper yamlMapper() {
        LoaderOptions loader = new LoaderOptions();
        loader.setNestingDepthLimit(MAX_NESTING_DEPTH);
        return new ObjectMapper(YAMLFactory.builder().loaderOptions(loader)
                .streamReadConstraints(new Limits()).build());
    }

    /**
     * The refusal for a parser failure, or {@code null} when {@code failure} is no limit of ours:
     * a {@link PayloadTooLargeException} for a string over the limit, else INVALID_ARGUMENT.
     *
     * @param subject what was being read, the message's name ({@code body}, {@code answer}...)
     */
    public static InferenceException refusal(Throwable failure, String subject) {
        if (!(failure instanceof Exceeded e)) {
            return null;
        }
        String message = subject + ": " + e.value + " (expected: " + e.expected + ")";
        return e.aboutSize ? new PayloadTooLargeException(message)
                : InferenceException.invalid(message);
    }

    /** A limit passed; typed so that no reader has to read Jackson's message. */
    static final class Exceeded extends StreamConstraintsException {
        private static final long serialVersionUID = 1L;

        private final String value;
        private final String expected;
        private final boolean aboutSize;

        Exceeded(String value, String expected, boolean aboutSize) {
            super(value + " (expected: " + expected + ")");
            this.value = value;
            this.expected = expected;
            this.aboutSize = aboutSize;
        }
    }

    /**
     * Jackson's constraints with our values, throwing {@link Exceeded}. Jackson checks through
     * these methods, so overriding them is all it takes; document length and token count stay
     * unlimited (bounded by the body size).
     */
    private static final class Limits extends StreamReadConstraints {
        private static final long serialVersionUID = 1L;

        Limits() {
            super(MAX_NESTING_DEPTH, -1L, MAX_NUMBER_LENGTH, MAX_STRING_LENGTH, MAX_NAME_LENGTH, -1L);
        }

        @Override
        public void validateNestingDepth(int depth) throws StreamConstraintsException {
            if (depth > MAX_NESTING_DEPTH) {
                throw new Exceeded("nesting " + depth + " levels deep",
                        "at most " + MAX_NESTING_DEPTH + " levels", false);
            }
        }

        @Override
        public void validateFPLength(int length) throws StreamConstraintsException {
            number(length);
        }

        @Override
        public void validateIntegerLength(int length) throws StreamConstraintsException {
            number(length);
        }

        private static void number(int length) throws StreamConstraintsException {
            if (length > MAX_NUMBER_LENGTH) {
                throw new Exceeded("a number " + length + " characters long",
                        "at most " + MAX_NUMBER_LENGTH + " characters in a number", false);
            }
        }

        @Override
        public void validateStringLength(int length) throws StreamConstraintsException {
            if (length > MAX_STRING_LENGTH) {
                // Jackson checks as its buffer grows, so the length seen is not the string's own
                throw new Exceeded("a string of more than " + MAX_STRING_LENGTH + " characters",
                        "at most " + MAX_STRING_LENGTH
                        + " characters in a string; send large tensors as binary data", true);
            }
        }

        @Override
        public void validateNameLength(int length) throws StreamConstraintsException {
            if (length > MAX_NAME_LENGTH) {
                throw new Exceeded("a field name of more than " + MAX_NAME_LENGTH + " characters",
                        "at most " + MAX_NAME_LENGTH + " characters in a field name", false);
            }
        }
    }
}
