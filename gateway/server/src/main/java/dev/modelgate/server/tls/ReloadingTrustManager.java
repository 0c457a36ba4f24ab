package dev.modelgate.server.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies peer certificates against a CA bundle that can be swapped while serving: a server
 * port's client CAs, swapped by the port's poller with its certificate, or a remote revision's
 * {@code ca-bundle}, which asks its {@code rotated} supplier before each check of a replica (as
 * {@link ReloadingKeyManager} does for the client pair). The checks are the JDK's PKIX ones, host
 * name verification included when the engine asks for it; this class only holds which trust
 * manager is current.
 */
final class ReloadingTrustManager extends X509ExtendedTrustManager {
    private volatile X509ExtendedTrustManager delegate;
    /** A rotated bundle, or {@code null} when there is none (asked before each server check). */
    private final Supplier<X509Certificate[]> rotated;

    ReloadingTrustManager(X509Certificate[] cas) {
        this(cas, () -> null);
    }

    ReloadingTrustManager(X509Certificate[] cas, Supplier<X509Certificate[]> rotated) {
        this.delegate = of(cas);
        this.rotated = rotated;
    }

    private X509ExtendedTrustManager current() {
        X509Certificate[] cas = rotated.get();
        if (cas != null) {
            swap(cas);
        }
        return delegate;
    }

    void swap(X509Certificate[] cas) {
        delegate = of(cas);
    }

    /** The JDK's PKIX trust manager over exactly {@code cas}. */
    static X509ExtendedTrustManager of(X509Certificate[] cas) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.length; i++) {
                store.setCertificateEntry("ca-" + i, cas[i]);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK has no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        current().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        current().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        current().checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
