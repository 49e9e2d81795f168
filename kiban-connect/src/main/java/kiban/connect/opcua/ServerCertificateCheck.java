package kiban.connect.opcua;

import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;

/**
 * The client's check of the server's certificate, remembering its refusal: Milo reports a refusal
 * by either side with the same status (Bad_SecurityChecksFailed), and the person fixing it needs
 * to know which side's trust list to change.
 */
final class ServerCertificateCheck implements CertificateValidator {

    private final CertificateValidator delegate;
    private volatile UaException refusal;

    ServerCertificateCheck(CertificateValidator delegate) {
        this.delegate = delegate;
    }

    @Override
    public void validateCertificateChain(List<X509Certificate> chain, String applicationUri, String[] validHostNames)
            throws UaException {
        try {
            delegate.validateCertificateChain(chain, applicationUri, validHostNames);
        } catch (UaException e) {
            refusal = e;
            throw e;
        }
    }

    /** Why this client refused the server's certificate, or null if it did not. */
    UaException refusal() {
        return refusal;
    }
}
