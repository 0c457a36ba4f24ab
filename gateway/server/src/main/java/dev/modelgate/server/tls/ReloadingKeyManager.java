package dev.modelgate.server.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * An identity (a port's, or the gateway's toward replicas) as a key manager whose pair can be
 * swapped while it serves: the TLS engines (JDK, Netty's OpenSSL in gRPC, Vert.x) ask it at every
 * handshake, so a rotated certificate reaches new connections without a restart and open ones
 * keep theirs. Each pair has
 * its own alias, so an engine that caches key material by alias never serves a stale one; the
 * pair before the current one still answers its alias for a handshake that straddles a swap.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private record Entry(String alias, TlsMaterial material) {
    }

    private volatile Entry current;
    private volatile Entry previous;
    private int generation;
    private final Supplier<TlsMaterial> rotated;

    ReloadingKeyManager(TlsMaterial material) {
        this(material, () -> null);
    }

    /**
     * @param rotated asked as a client handshake asks for the identity: a rotated pair to swap in
     *     first, or {@code null} (a client has no poller of its own: it checks here)
     */
    ReloadingKeyManager(TlsMaterial material, Supplier<TlsMaterial> rotated) {
        current = new Entry("modelgate-0", material);
        previous = current;
        this.rotated = rotated;
    }

    private void swapIfRotated() {
        TlsMaterial material = rotated.get();
        if (material != null) {
            swap(material);
        }
    }

    synchronized void swap(TlsMaterial material) {
        previous = current;
        current = new Entry("modelgate-" + ++generation, material);
    }

    X509Certificate[] currentChain() {
        return current.material().chain().clone();
    }

    private String alias(String keyType) {
        Entry entry = current;
        return keyType == null || entry.material().key().getAlgorithm().equalsIgnoreCase(keyType)
                ? entry.alias() : null;
    }

    private String alias(String[] keyTypes) {
        for (String keyType : keyTypes) {
            String alias = alias(keyType);
            if (alias != null) {
                return alias;
            }
        }
        return null;
    }

    private TlsMaterial material(String alias) {
        Entry entry = current;
        if (entry.alias().equals(alias)) {
            return entry.material();
        }
        Entry before = previous;
        return before.alias().equals(alias) ? before.material() : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        swapIfRotated();
        return alias(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        swapIfRotated();
        return alias(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = alias(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        TlsMaterial material = material(alias);
        return material == null ? null : material.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        TlsMaterial material = material(alias);
        return material == null ? null : material.key();
    }
}
