package dev.modelgate.runtime.djl;

import dev.modelgate.api.DataType;
import dev.modelgate.api.TensorMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a tensor signature such as {@code x:FP32[-1,3];mask:INT64[-1,8]}: names in the engine's
 * positional order, a protocol datatype, and the shape with -1 for a variable dimension.
 */
final class Signature {
    private static final Pattern ENTRY = Pattern.compile("\\s*([A-Za-z0-9_.:/-]+?):([A-Z0-9]+)\\[([-0-9, ]*)]\\s*");

    private Signature() {
    }

    /** The tensors, or adds one message per bad entry to {@code problems} and returns what parsed. */
    static List<TensorMetadata> parse(String key, String value, List<String> problems) {
        List<TensorMetadata> tensors = new ArrayList<>();
        if (value.isBlank()) {
            problems.add(key + ": '' (expected: name:DATATYPE[d0,d1,...] entries separated by ';')");
            return tensors;
        }
        for (String entry : value.split(";")) {
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                problems.add(key + ": '" + entry.strip() + "' (expected: name:DATATYPE[d0,d1,...], for example x:FP32[-1,3])");
                continue;
            }
            DataType type;
            try {
                type = DataType.parse(m.group(2));
            } catch (RuntimeException e) {
                problems.add(key + " " + m.group(1) + " datatype: " + m.group(2) + " (expected: a protocol datatype such as FP32)");
                continue;
            }
            long[] shape = dims(m.group(3));
            if (shape == null) {
                problems.add(key + " " + m.group(1) + " shape: [" + m.group(3) + "] (expected: integers >= -1)");
                continue;
            }
            if (tensors.stream().anyMatch(t -> t.name().equals(m.group(1)))) {
                problems.add(key + " " + m.group(1) + ": duplicate (expected: distinct names)");
                continue;
            }
            tensors.add(new TensorMetadata(m.group(1), type, shape));
        }
        return tensors;
    }

    private static long[] dims(String text) {
        if (text.isBlank()) {
            return new long[0];
        }
        String[] parts = text.split(",");
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Long.parseLong(parts[i].strip());
            } catch (NumberFormatException e) {
                return null;
            }
            if (dims[i] < -1) {
                return null;
            }
        }
        return dims;
    }
}
