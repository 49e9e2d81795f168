package kiban.connect.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import kiban.core.error.InvalidInputException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Certificates and private keys in files, as openssl, UaExpert and Milo write them: certificates
 * in DER or PEM (several PEM blocks make a chain or a bundle), private keys in unencrypted PEM
 * (PKCS#8 {@code PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY}). Every error names the file.
 */
public final class KeyFiles {

    /** A certificate or key file is a few kB; a bundle of CAs some hundred. More is not a key file. */
    public static final long MAX_BYTES = 1 << 20;

    private KeyFiles() {}

    /** Every certificate in {@code file}, in order; at least one. {@code source} names the option or setting. */
    public static List<X509Certificate> readCertificates(Path file, String source) {
        byte[] bytes = read(file, source, "X.509 certificates (PEM or DER)");
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            // The JDK's factory reads DER and PEM alike, and a sequence of PEM blocks.
            for (var c : factory.generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
        } catch (CertificateException | RuntimeException e) {
            throw new InvalidInputException(source, "", "X.509 certificates (PEM or DER)",
                    "'" + file + "', which does not parse (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(source, "", "X.509 certificates (PEM or DER)", "'" + file + "' without any");
        }
        return out;
    }

    /** The unencrypted private key in the PEM file {@code file}. */
    public static PrivateKey readPrivateKey(Path file, String source) {
        String expected = "an unencrypted private key in PEM (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)";
        String text = new String(read(file, source, expected), StandardCharsets.US_ASCII);
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new InvalidInputException(source, "", expected, "'" + file + "', which holds "
                    + (o == null ? "no PEM block" : "a " + o.getClass().getSimpleName()
                    + (o.getClass().getSimpleName().contains("Encrypted") ? " (remove its passphrase: openssl pkey -in KEY -out PLAIN)" : "")));
        } catch (PEMException e) {
            throw new InvalidInputException(source, "", expected, "'" + file + "', which does not parse (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException bad) {
                throw bad;
            }
            throw new InvalidInputException(source, "", expected, "'" + file + "', which does not parse (" + e.getMessage() + ")");
        }
    }

    /** Writes {@code certificate} as DER to {@code file}, atomically. */
    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        try {
            writeAtomically(file, certificate.getEncoded(), false);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException("cannot encode the certificate for " + file, e);
        }
    }

    /** Writes {@code key} as PKCS#8 PEM to {@code file}, readable by its owner only where the file system allows. */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(new JcaPKCS8Generator(key, null)); // PKCS#8 "PRIVATE KEY", as openssl genpkey writes
        }
        writeAtomically(file, text.toString().getBytes(StandardCharsets.US_ASCII), true);
    }

    private static void writeAtomically(Path file, byte[] bytes, boolean ownerOnly) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (ownerOnly && Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
            // Created owner-only, never readable by others even for a moment.
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.write(tmp, bytes);
        if (Files.exists(file)) {
            Files.delete(tmp);
            throw new FileAlreadyExistsException(file.toString());
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] read(Path file, String source, String expected) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException(source, "", expected + " in a file", "'" + file + "', which "
                        + (Files.exists(file) ? "is not a regular file" : "does not exist"));
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new InvalidInputException(source, "", expected + " of at most " + MAX_BYTES + " bytes",
                        "'" + file + "' of " + size + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(source, "", expected + " in a readable file", "'" + file + "' (" + e + ")");
        }
    }
}
