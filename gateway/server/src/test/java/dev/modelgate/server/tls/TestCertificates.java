package dev.modelgate.server.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in the test, never committed: a CA, server certificates for 127.0.0.1 and
 * localhost, client certificates, written as the PEM files a Kubernetes TLS Secret holds, and the
 * JDK client contexts that trust (or present) them. EC P-256 keys, fast to make; RSA on request.
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key pair and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
        /** Writes {@code cert.pem} (the certificate) and {@code key.pem} (PKCS#8) into {@code dir}. */
        public Issued write(Path cert, Path key) throws IOException {
            Files.writeString(cert, pem("CERTIFICATE", encoded(certificate)));
            Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return this;
        }

        public String subject() {
            return certificate.getSubjectX500Principal().getName();
        }
    }

    private final Issued ca;

    private TestCertificates(Issued ca) {
        this.ca = ca;
    }

    /** A new self-signed CA named {@code name}. */
    public static TestCertificates authority(String name) {
        KeyPair keys = ec();
        X500Name subject = new X500Name("CN=" + name);
        return new TestCertificates(new Issued(keys, sign(subject, subject, keys, keys, true, false)));
    }

    public Issued ca() {
        return ca;
    }

    /** Writes the CA certificate as PEM to {@code file}. */
    public Path writeCa(Path file) throws IOException {
        Files.writeString(file, pem("CERTIFICATE", encoded(ca.certificate())));
        return file;
    }

    /** A server certificate for 127.0.0.1 and localhost, named {@code cn}. */
    public Issued server(String cn) {
        return issue(cn, ec(), true);
    }

    /** A server certificate with an RSA key (for PKCS#1 and RSA paths). */
    public Issued rsaServer(String cn) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return issue(cn, generator.generateKeyPair(), true);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client certificate named {@code cn}. */
    public Issued client(String cn) {
        return issue(cn, ec(), false);
    }

    /** A JDK context trusting this CA and presenting {@code identity} when not {@code null}. */
    public SSLContext clientContext(Issued identity) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.certificate());
            TrustManagerFactory trustFactory = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            trustFactory.init(trust);
            KeyManagerFactory keyFactory = null;
            if (identity != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("me", identity.keys().getPrivate(), new char[0],
                        new X509Certificate[] {identity.certificate()});
                keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyFactory.init(keys, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyFactory == null ? null : keyFactory.getKeyManagers(),
                    trustFactory.getTrustManagers(), RANDOM);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Issued issue(String cn, KeyPair keys, boolean server) {
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        return new Issued(keys, sign(issuer, new X500Name("CN=" + cn), ca.keys(), keys, false, server));
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, KeyPair issuerKeys,
            KeyPair subjectKeys, boolean authority, boolean server) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(2))), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (authority) {
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else if (server) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                        new GeneralName[] {new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")}));
            }
            String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("RSA")
                    ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
