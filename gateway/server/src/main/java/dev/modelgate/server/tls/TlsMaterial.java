package dev.modelgate.server.tls;

import dev.modelgate.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One loaded, checked key pair (and the client CAs, when a port verifies clients): what a rotation
 * replaces as a whole, so a handshake never sees a key of one pair with the chain of another.
 *
 * @param key the private key of {@code chain[0]}
 * @param chain the certificate chain, leaf first
 * @param clientCas the CAs that verify client certificates, or {@code null}
 */
record TlsMaterial(PrivateKey key, X509Certificate[] chain, X509Certificate[] clientCas) {

    /**
     * Reads and checks the files.
     *
     * @throws ConfigException naming the file and what is wrong with it (a listener problem: the
     *     command line prints it on one line)
     */
    static TlsMaterial load(Path cert, Path key, Path clientCa) {
        X509Certificate[] chain = read("tls.cert", cert, () -> PemFiles.certificates(cert));
        PrivateKey privateKey = read("tls.key", key, () -> PemFiles.privateKey(key));
        if (!PemFiles.matches(privateKey, chain[0])) {
            throw new ConfigException(ConfigException.LISTENER, "tls.key: " + key + " (expected: the private key of"
                    + " tls.cert " + cert + " " + chain[0].getSubjectX500Principal().getName() + ")");
        }
        X509Certificate[] cas = clientCa == null ? null
                : read("tls.client-ca", clientCa, () -> PemFiles.certificates(clientCa));
        return new TlsMaterial(privateKey, chain, cas);
    }

    /** The leaf certificate's subject, for log lines. */
    String subject() {
        return chain[0].getSubjectX500Principal().getName();
    }

    /** The subjects of a CA bundle's certificates, for log lines. */
    static String subjects(X509Certificate[] cas) {
        return Arrays.stream(cas).map(ca -> ca.getSubjectX500Principal().getName())
                .collect(Collectors.joining("; "));
    }

    /** The certificates of a CA bundle. */
    static X509Certificate[] load(Path caBundle) {
        return read("ca-bundle", caBundle, () -> PemFiles.certificates(caBundle));
    }

    private interface Reader<T> {
        T read() throws IOException, GeneralSecurityException;
    }

    private static <T> T read(String name, Path file, Reader<T> reader) {
        try {
            return reader.read();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ConfigException(ConfigException.LISTENER, name + ": " + file + " (expected: a readable PEM "
                    + (name.equals("tls.key") ? "private key" : "certificate") + "; " + why + ")");
        }
    }
}
