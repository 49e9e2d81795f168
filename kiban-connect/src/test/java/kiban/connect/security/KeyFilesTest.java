package kiban.connect.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import kiban.core.error.InvalidInputException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates and keys as openssl and UaExpert write them, and what is not one. */
class KeyFilesTest {

    static KeyPair pair;
    static X509Certificate a;
    static X509Certificate b;

    @BeforeAll
    static void make() throws Exception {
        pair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        a = new SelfSignedCertificateBuilder(pair).setCommonName("a").setApplicationUri("urn:a").build();
        b = new SelfSignedCertificateBuilder(pair).setCommonName("b").setApplicationUri("urn:b").build();
    }

    @Test
    void readsDerAndAPemBundle(@TempDir Path dir) throws Exception {
        Path der = dir.resolve("a.der");
        KeyFiles.writeCertificate(der, a);
        assertThat(KeyFiles.readCertificates(der, "--x")).containsExactly(a);
        Path pem = dir.resolve("bundle.pem");
        Files.writeString(pem, pem(a) + pem(b));
        assertThat(KeyFiles.readCertificates(pem, "--x")).containsExactly(a, b);
    }

    @Test
    void readsPkcs8AndPkcs1Keys(@TempDir Path dir) throws Exception {
        Path pkcs8 = dir.resolve("key.pem");
        KeyFiles.writePrivateKey(pkcs8, pair.getPrivate());
        assertThat(Files.readString(pkcs8)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(KeyFiles.readPrivateKey(pkcs8, "--k")).isEqualTo(pair.getPrivate());
        Path pkcs1 = dir.resolve("rsa.pem");
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(pair); // openssl's traditional "RSA PRIVATE KEY"
        }
        Files.writeString(pkcs1, text.toString());
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(KeyFiles.readPrivateKey(pkcs1, "--k").getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    }

    @Test
    void whatIsNotACertificateOrKeyIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> KeyFiles.readCertificates(missing, "--mqtt-trust"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--mqtt-trust").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> KeyFiles.readCertificates(dir, "--mqtt-trust")).hasMessageContaining("is not a regular file");
        Path empty = Files.createFile(dir.resolve("empty.pem"));
        assertThatThrownBy(() -> KeyFiles.readCertificates(empty, "--mqtt-trust")).hasMessageContaining(empty.toString());
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> KeyFiles.readCertificates(garbage, "--mqtt-trust")).hasMessageContaining("does not parse");
        Path huge = dir.resolve("huge.pem");
        Files.write(huge, new byte[(int) KeyFiles.MAX_BYTES + 1]);
        assertThatThrownBy(() -> KeyFiles.readCertificates(huge, "--mqtt-trust")).hasMessageContaining("at most " + KeyFiles.MAX_BYTES + " bytes");
        // A certificate where a key belongs, and a key still under its passphrase.
        Path cert = Files.writeString(dir.resolve("cert.pem"), pem(a));
        assertThatThrownBy(() -> KeyFiles.readPrivateKey(cert, "--opcua-user-key"))
                .hasMessageContaining("--opcua-user-key").hasMessageContaining("holds a X509CertificateHolder");
        Path locked = dir.resolve("locked.pem");
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(pair, new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new BouncyCastleProvider()).setSecureRandom(new SecureRandom()).build("pass".toCharArray()));
        }
        Files.writeString(locked, text.toString());
        assertThatThrownBy(() -> KeyFiles.readPrivateKey(locked, "--opcua-user-key")).hasMessageContaining("remove its passphrase");
        assertThatThrownBy(() -> KeyFiles.readPrivateKey(garbage, "--opcua-user-key")).isInstanceOf(InvalidInputException.class);
    }

    private static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
