package kiban.connect.opcua.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import kiban.core.error.InvalidInputException;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PKI folder: one certificate made for the class (RSA 2048 is slow), copied where a test breaks it. */
class PkiTest {

    static final Pki.Subject SUBJECT = new Pki.Subject("Kiban test", "urn:kiban:test", List.of("localhost", "127.0.0.1", "cell-7.plant"));

    @TempDir
    static Path shared;
    static Path made;
    static X509Certificate certificate;

    @BeforeAll
    static void make() {
        made = shared.resolve("pki");
        try (Pki pki = Pki.open(made, SUBJECT, "--pki")) {
            certificate = pki.certificate();
        }
    }

    @Test
    void anExistingIdentityOpensWithoutWorkingOutTheSubject() {
        // Working it out asks the resolver for this machine's names: only a certificate being made needs them.
        try (Pki again = Pki.open(made, () -> {
            throw new AssertionError("the subject was worked out for a folder that has a certificate");
        }, "--pki")) {
            assertThat(again.certificate()).isEqualTo(certificate);
        }
    }

    @Test
    void certificateHostsNameTheHostLoopbackAndThisMachine() {
        assertThat(Pki.certificateHosts("cell-7.plant")).startsWith("cell-7.plant", "localhost", "127.0.0.1");
        assertThat(Pki.certificateHosts("localhost")).startsWith("localhost", "127.0.0.1").doesNotHaveDuplicates();
    }

    @Test
    void makesACertificateOnFirstUseAndKeepsIt() throws Exception {
        try (Pki again = Pki.open(made, SUBJECT, "--pki")) {
            assertThat(again.certificate()).isEqualTo(certificate);
            assertThat(again.applicationUri()).startsWith("urn:kiban:test:").hasSize("urn:kiban:test:".length() + 36);
            assertThat(CertificateUtil.getSanUri(certificate)).contains(again.applicationUri());
            assertThat(again.hostNames()).contains("localhost", "cell-7.plant", "127.0.0.1");
            assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("RSA");
            assertThat(again.thumbprint()).hasSize(40);
        }
        assertThat(Files.isDirectory(made.resolve("trusted/certs"))).isTrue();
        assertThat(Files.isDirectory(made.resolve("issuer/certs"))).isTrue();
        assertThat(Files.isDirectory(made.resolve("rejected"))).isTrue();
        // The key is the identity: nobody but its owner may read it, or its folder.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made.resolve(Pki.PRIVATE_KEY)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made.resolve("own/private")))).isEqualTo("rwx------");
    }

    @Test
    void halfAPairIsAnErrorNeverASilentNewIdentity(@TempDir Path dir) throws Exception {
        Path pki = copy(dir);
        Files.delete(pki.resolve(Pki.PRIVATE_KEY));
        assertThatThrownBy(() -> Pki.open(pki, SUBJECT, "--pki"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--pki")
                .hasMessageContaining("restore " + pki.resolve(Pki.PRIVATE_KEY));
        assertThat(Files.exists(pki.resolve(Pki.PRIVATE_KEY))).isFalse();
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused(@TempDir Path dir) throws Exception {
        Path pki = copy(dir);
        Path other = dir.resolve("other");
        Pki.open(other, SUBJECT, "--pki").close();
        Files.copy(other.resolve(Pki.PRIVATE_KEY), pki.resolve(Pki.PRIVATE_KEY), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> Pki.open(pki, SUBJECT, "--pki"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(pki.resolve(Pki.PRIVATE_KEY).toString())
                .hasMessageContaining("a key that does not match it");
    }

    @Test
    void aDamagedCertificateIsNamed(@TempDir Path dir) throws Exception {
        Path pki = copy(dir);
        Files.write(pki.resolve(Pki.CERTIFICATE), "not a certificate".getBytes());
        assertThatThrownBy(() -> Pki.open(pki, SUBJECT, "--pki"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(pki.resolve(Pki.CERTIFICATE).toString())
                .hasMessageContaining("does not parse");
    }

    @Test
    void aFolderThatCannotBeMadeIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> Pki.open(file.resolve("pki"), SUBJECT, "--opcua-pki"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--opcua-pki")
                .hasMessageContaining("a PKI folder this process can write");
    }

    @Test
    void junkInTheTrustFolderTrustsNothingAndHidesNothing(@TempDir Path dir) throws Exception {
        Path trusted = dir.resolve("trust/trusted/certs");
        Files.createDirectories(trusted);
        Files.write(trusted.resolve("peer.der"), certificate.getEncoded());
        Files.writeString(trusted.resolve("notes.txt"), "not a certificate");
        Files.write(trusted.resolve("empty.der"), new byte[0]);
        try (TrustFolder folder = TrustFolder.open(dir.resolve("trust"))) {
            assertThat(folder.trustList().getTrustedCertificates()).containsExactly(certificate);
        }
    }

    /** The class's PKI, copied to {@code dir}/pki, to break. */
    private static Path copy(Path dir) throws Exception {
        Path pki = dir.resolve("pki");
        for (String f : List.of(Pki.CERTIFICATE, Pki.PRIVATE_KEY)) {
            Files.createDirectories(pki.resolve(f).getParent());
            Files.copy(made.resolve(f), pki.resolve(f));
        }
        return pki;
    }
}
