package dev.modelgate.server.service;

/** Sixteen lower-case hex digits of a long, zero-padded: the unit of request ids and trace ids. */
final class Hex16 {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex16() {
    }

    static String of(long value) {
        char[] out = new char[16];
        appendTo(out, 0, value);
        return new String(out);
    }

    static void appendTo(char[] out, int at, long value) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = DIGITS[(int) (value & 0xf)];
            value >>>= 4;
        }
    }
}
