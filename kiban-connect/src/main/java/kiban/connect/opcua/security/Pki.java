package kiban.connect.opcua.security;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import kiban.connect.security.KeyFiles;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import org.eclipse.milo.opcua.sdk.server.util.HostnameUtil;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/**
 * An OPC UA application's PKI folder, laid out as UaExpert's and Milo's examples lay theirs out:
 *
 * <pre>
 * PKI/own/certificate.der       this application's certificate (generated on first use)
 * PKI/own/private/key.pem       its private key, readable by the owner only
 * PKI/trusted/certs/            peers trusted (a certificate moved here from rejected/)
 * PKI/trusted/crl/, PKI/issuer/ revocation lists and CAs that complete a chain
 * PKI/rejected/                 peers refused, saved so an operator can decide to trust them
 * </pre>
 *
 * The certificate is self-signed (RSA 2048, SHA-256, valid {@value #VALIDITY_YEARS} years) and names
 * the application URI and the host names its peers will check. An operator may replace both files
 * with a certificate from the plant's CA; a half-present pair is an error, never silently replaced,
 * since peers trust this exact certificate.
 */
public final class Pki implements AutoCloseable {

    public static final String CERTIFICATE = "own/certificate.der";
    public static final String PRIVATE_KEY = "own/private/key.pem";
    public static final int KEY_BITS = 2048;
    public static final int VALIDITY_YEARS = 3;

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    /**
     * What a new certificate says.
     *
     * @param applicationName the common name, such as "Kiban runtime"
     * @param uriPrefix       the application URI is this, a colon and a random UUID
     * @param hostNames       DNS names and IP addresses peers may reach this application by
     */
    public record Subject(String applicationName, String uriPrefix, List<String> hostNames) {

        public Subject {
            hostNames = List.copyOf(hostNames);
        }
    }

    private final Path root;
    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final String applicationUri;
    private final TrustFolder peers;

    private Pki(Path root, KeyPair keyPair, X509Certificate certificate, String applicationUri, TrustFolder peers) {
        this.root = root;
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.applicationUri = applicationUri;
        this.peers = peers;
    }

    /**
     * Opens the PKI folder {@code root}, creating its folders and this application's certificate
     * where missing; {@code source} names the option that gave the folder, for errors.
     */
    public static Pki open(Path root, Subject subject, String source) {
        return open(root, () -> subject, source);
    }

    /**
     * As {@link #open(Path, Subject, String)}, with the subject worked out only if a certificate is
     * made: finding this machine's names asks the resolver, which on a badly set up network can
     * take seconds, for nothing on every start but the first.
     */
    public static Pki open(Path root, Supplier<Subject> subject, String source) {
        Path own = root.resolve("own");
        Path cert = root.resolve(CERTIFICATE);
        Path key = root.resolve(PRIVATE_KEY);
        try {
            createPrivate(root);
            createPrivate(own);
            createPrivate(key.getParent());
            // Two processes starting on one new folder must not make two identities.
            try (FileChannel lockFile = FileChannel.open(own.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockFile.lock()) {
                if (!Files.exists(cert) && !Files.exists(key)) {
                    generate(cert, key, subject.get());
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(source, "", "a PKI folder this process can write", "'" + root + "' (" + e + ")");
        }
        if (Files.exists(cert) != Files.exists(key)) {
            Path present = Files.exists(cert) ? cert : key;
            Path missing = Files.exists(cert) ? key : cert;
            throw new InvalidInputException(source, "", "both " + CERTIFICATE + " and " + PRIVATE_KEY + " in " + root,
                    "only " + present + " (restore " + missing + ", or delete both to make a new certificate that peers must trust again)");
        }
        X509Certificate certificate = KeyFiles.readCertificates(cert, cert.toString()).getFirst();
        PrivateKey privateKey = KeyFiles.readPrivateKey(key, key.toString());
        if (!"RSA".equals(privateKey.getAlgorithm()) || !matches(certificate, privateKey)) {
            throw new InvalidInputException(key.toString(), "", "the RSA private key of " + cert, "a key that does not match it");
        }
        String uri = CertificateUtil.getSanUri(certificate).orElseThrow(() -> new InvalidInputException(cert.toString(), "",
                "an application URI in the certificate's subject alternative names (OPC UA identifies applications by it)", "none"));
        return new Pki(root, new KeyPair(certificate.getPublicKey(), privateKey), certificate, uri,
                TrustFolder.open(root));
    }

    /**
     * The names a peer may reach {@code host} by, for a certificate: it (every name of this machine
     * for a wildcard address), this machine's name, and loopback's.
     */
    public static List<String> certificateHosts(String host) {
        Set<String> out = new LinkedHashSet<>();
        if (ServerSetup.wildcard(host)) {
            out.addAll(HostnameUtil.getHostnames("0.0.0.0", false));
        } else {
            out.add(host);
        }
        out.add("localhost");
        out.add("127.0.0.1");
        try {
            out.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // a machine without a resolvable name is reached by address
        }
        return List.copyOf(out);
    }

    private static void generate(Path cert, Path key, Subject subject) throws IOException {
        try {
            KeyPair pair = SelfSignedCertificateGenerator.generateRsaKeyPair(KEY_BITS);
            SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(pair)
                    .setCommonName(subject.applicationName())
                    .setOrganization("Kiban")
                    .setApplicationUri(subject.uriPrefix() + ":" + UUID.randomUUID())
                    .setValidityPeriod(Period.ofYears(VALIDITY_YEARS));
            for (String host : subject.hostNames()) {
                if (IPV4.matcher(host).matches() || host.contains(":")) {
                    builder.addIpAddress(host);
                } else {
                    builder.addDnsName(host);
                }
            }
            X509Certificate certificate = builder.build();
            // The key first: a certificate without its key would be the "half a pair" error above.
            KeyFiles.writePrivateKey(key, pair.getPrivate());
            KeyFiles.writeCertificate(cert, certificate);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new KibanException("cannot generate the application certificate " + cert + ": " + e.getMessage(), e);
        }
    }

    private static boolean matches(X509Certificate certificate, PrivateKey key) {
        try {
            byte[] probe = "kiban pki key check".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance("SHA256withRSA");
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance("SHA256withRSA");
            verify.initVerify(certificate.getPublicKey());
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void createPrivate(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            Files.createDirectories(dir.getParent());
        }
        if (Files.getFileStore(dir.getParent() == null ? Path.of(".") : dir.getParent()).supportsFileAttributeView("posix")) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectory(dir);
        }
    }

    public Path root() {
        return root;
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The file peers must trust to trust this application. */
    public Path certificateFile() {
        return root.resolve(CERTIFICATE);
    }

    /** The application URI the certificate names; the application must present the same. */
    public String applicationUri() {
        return applicationUri;
    }

    /** The certificate's SHA-1 thumbprint in hex, as UaExpert shows it. */
    public String thumbprint() {
        return thumbprint(certificate);
    }

    /** DNS names and IP addresses the certificate names. */
    public List<String> hostNames() {
        List<String> out = new java.util.ArrayList<>(CertificateUtil.getSanDnsNames(certificate));
        out.addAll(CertificateUtil.getSanIpAddresses(certificate));
        return out;
    }

    /** The peers this application trusts or rejected. */
    public TrustFolder peers() {
        return peers;
    }

    public static String thumbprint(X509Certificate certificate) {
        try {
            return java.util.HexFormat.of().formatHex(CertificateUtil.thumbprint(certificate).bytesOrEmpty());
        } catch (UaException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        peers.close();
    }
}
