package kiban.connect.opcua.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.TrustListManager;

/**
 * The peers one side trusts, in Milo's folder layout: {@code trusted/certs} (certificates trusted
 * as they are), {@code trusted/crl}, {@code issuer/certs} and {@code issuer/crl} (CAs that only
 * complete a chain), and {@code rejected/}, where an unknown peer's certificate is saved when it is
 * refused. Trusting a peer is moving its file from {@code rejected/} to {@code trusted/certs/};
 * the folders are watched, so a running process sees the change at once.
 */
public final class TrustFolder implements AutoCloseable {

    private final Path root;
    private final FileBasedTrustListManager trustList;
    private final CertificateQuarantine rejected;

    private TrustFolder(Path root, FileBasedTrustListManager trustList, CertificateQuarantine rejected) {
        this.root = root;
        this.trustList = trustList;
        this.rejected = rejected;
    }

    /** Opens (creating where missing) the trust folders under {@code root}. */
    public static TrustFolder open(Path root) {
        try {
            FileBasedCertificateQuarantine rejected = FileBasedCertificateQuarantine.create(root.resolve("rejected"));
            return new TrustFolder(root, FileBasedTrustListManager.createAndInitialize(root), rejected);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("cannot open the trust folders under " + root,
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    public TrustListManager trustList() {
        return trustList;
    }

    public CertificateQuarantine rejected() {
        return rejected;
    }

    /** Where trusted certificates go. */
    public Path trustedCertificates() {
        return root.resolve("trusted").resolve("certs");
    }

    /** Where refused certificates are saved. */
    public Path rejectedCertificates() {
        return root.resolve("rejected");
    }

    @Override
    public void close() {
        try {
            trustList.close();
        } catch (IOException e) {
            // only the folder watch stops; nothing is written
        }
    }
}
