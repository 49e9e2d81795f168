package kiban.connect.opcua;

import kiban.connect.opcua.security.ClientSecurity;
import kiban.connect.opcua.security.Login;
import kiban.connect.opcua.security.Pki;
import kiban.core.error.KibanException;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;

/**
 * Turns a refused OPC UA connection into one message: who refused (this client or the server),
 * what (a certificate, a login, the policy), and what to do about it. Status codes are named as
 * OPC UA names them, so the message can be looked up in the server's own log.
 */
final class ConnectFailures {

    private ConnectFailures() {}

    /**
     * @param refusedByClient why this client refused the server's certificate, or null if it did
     *                        not (then a Bad_SecurityChecksFailed came from the server)
     */
    static KibanException explain(Throwable failure, OpcUaEndpoint endpoint, ClientSecurity security,
            EndpointDescription chosen, Pki pki, UaException refusedByClient) {
        String at = "the OPC UA server at " + endpoint.url();
        UaException ua = refusedByClient != null ? refusedByClient : find(failure);
        long code = ua == null ? 0 : ua.getStatusCode().getValue();
        String status = ua == null ? describe(failure) : name(code);
        String message;
        if (refusedByClient != null && (code == StatusCodes.Bad_CertificateUntrusted || code == StatusCodes.Bad_SecurityChecksFailed)) {
            message = "this client does not trust the certificate of " + at + ", " + OpcUaClients.certificateOf(chosen)
                    + " (" + status + "): it was saved in " + pki.peers().rejectedCertificates()
                    + "; if it is the machine you expect, move it to " + pki.peers().trustedCertificates() + " and connect again";
        } else if (code == StatusCodes.Bad_SecurityChecksFailed && pki != null) {
            // A server answers this, and nothing more specific, when it does not trust the client.
            message = at + " refused this client's certificate (" + status + "), most likely because it does not trust it yet: "
                    + "trust " + pki.certificateFile() + " (SHA-1 thumbprint " + pki.thumbprint() + ") on the server "
                    + "(a Kiban or Milo server saved it in its PKI's rejected/ folder: move it to trusted/certs/)";
        } else if (code == StatusCodes.Bad_CertificateHostNameInvalid) {
            message = "the certificate of " + at + " does not name the host '" + endpoint.host() + "' (" + status
                    + "): connect by a name the certificate holds, or give the server a certificate that names this one";
        } else if (code == StatusCodes.Bad_CertificateUriInvalid) {
            message = "the certificate of " + at + " names another application URI than the server does (" + status + ")";
        } else if (code == StatusCodes.Bad_CertificateTimeInvalid || code == StatusCodes.Bad_CertificateIssuerTimeInvalid) {
            message = "a certificate in the exchange with " + at + " has expired or is not valid yet (" + status + ")";
        } else if (code == StatusCodes.Bad_UserAccessDenied || code == StatusCodes.Bad_IdentityTokenRejected
                || code == StatusCodes.Bad_IdentityTokenInvalid) {
            message = at + " refused the login as " + security.login() + " (" + status + "): "
                    + (security.login() instanceof Login.Certificate
                            ? "the server does not trust this user certificate (a Kiban server saved it in its PKI's users/rejected/ folder)"
                            : "wrong user name or password");
        } else if (code == StatusCodes.Bad_SecurityPolicyRejected) {
            message = at + " rejected security " + security.channel() + " (" + status + ")";
        } else {
            message = "cannot connect to " + at + " with security " + security.channel() + " and " + security.login()
                    + " login: " + status;
        }
        return new KibanException(message, failure);
    }

    /** "Bad_SecurityChecksFailed" and the like, or the number when OPC UA has no name for it. */
    static String name(long code) {
        return StatusCodes.lookup(code).map(s -> s[0]).orElse(String.format("status 0x%08X", code));
    }

    /** A failure's status name or message, without stack or class noise. */
    static String describe(Throwable failure) {
        UaException ua = find(failure);
        if (ua != null) {
            String m = ua.getMessage();
            String n = name(ua.getStatusCode().getValue());
            return m == null || m.isBlank() || m.contains(n) ? n : n + ": " + m;
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static UaException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UaException ua) {
                return ua;
            }
        }
        return null;
    }
}
