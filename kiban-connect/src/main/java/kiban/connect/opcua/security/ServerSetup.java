package kiban.connect.opcua.security;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigBuilder;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.X509IdentityValidator;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;

/**
 * Puts a {@link ServerSecurity} into a Milo server's configuration: one endpoint per policy and
 * mode, the server's certificate from its {@link Pki}, the trust list that decides which client
 * applications may open a secure channel, and the logins. Client certificates are checked against
 * {@code PKI/trusted}; user certificates, a separate decision, against {@code PKI/users/trusted}.
 * Unknown ones of either kind are saved in the matching {@code rejected/} folder.
 */
public final class ServerSetup implements AutoCloseable {

    /** What a client's certificate must pass beyond being trusted. */
    static final Set<ValidationCheck> CLIENT_CHECKS = Set.of(ValidationCheck.VALIDITY, ValidationCheck.APPLICATION_URI,
            ValidationCheck.KEY_USAGE_END_ENTITY, ValidationCheck.EXTENDED_KEY_USAGE_END_ENTITY, ValidationCheck.REVOCATION);

    private final ServerSecurity security;
    private final Pki pki;
    private final TrustFolder users;
    private volatile Consumer<String> refusals = message -> {};

    private ServerSetup(ServerSecurity security, Pki pki, TrustFolder users) {
        this.security = security;
        this.pki = pki;
        this.users = users;
    }

    /**
     * Opens the PKI (generating the server's certificate on first use, naming the host names
     * clients may use for {@code host}) when {@code security} needs one.
     */
    public static ServerSetup open(ServerSecurity security, String host, String applicationName) {
        if (security.policies().stream().noneMatch(p -> p != ChannelSecurity.Policy.NONE)) {
            return new ServerSetup(security, null, null);
        }
        Providers.install();
        Pki pki = Pki.open(security.pki(), () -> new Pki.Subject(applicationName, "urn:kiban:sim:opcua",
                Pki.certificateHosts(host)), "--pki");
        try {
            if (!wildcard(host) && pki.hostNames().stream().noneMatch(h -> h.equalsIgnoreCase(host))) {
                throw new InvalidInputException("--pki", "", "a server certificate naming the host '" + host
                        + "' clients connect to", pki.certificateFile() + ", which names " + pki.hostNames()
                        + " (delete " + pki.root().resolve("own") + " to make a new one; clients must then trust it again)");
            }
            TrustFolder users = security.certificateLogin() ? TrustFolder.open(security.pki().resolve("users")) : null;
            return new ServerSetup(security, pki, users);
        } catch (RuntimeException e) {
            pki.close();
            throw e;
        }
    }

    /**
     * Tells {@code listener} of every client certificate, password or user certificate refused, in
     * a sentence for the operator (who may want to trust a certificate that was just saved).
     */
    public void onRefusal(Consumer<String> listener) {
        refusals = listener;
    }

    /** The server's PKI, or null when only policy None is offered. */
    public Pki pki() {
        return pki;
    }

    /** Where trusted user certificates go, or null without certificate login. */
    public TrustFolder users() {
        return users;
    }

    /** Adds the endpoints, certificates and logins to {@code builder}. */
    public void configure(OpcUaServerConfigBuilder builder, String host, int port, String path) {
        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        for (ChannelSecurity channel : security.channels()) {
            EndpointConfig.Builder e = EndpointConfig.newBuilder()
                    .setBindAddress(host)
                    .setHostname(host)
                    .setBindPort(port)
                    .setPath(path)
                    .setSecurityPolicy(channel.policy().milo())
                    .setSecurityMode(channel.mode().milo())
                    .setTransportProfile(TransportProfile.TCP_UASC_UABINARY);
            if (channel.secure()) {
                e.setCertificate(pki.certificate());
            }
            tokenPolicies(channel).forEach(e::addTokenPolicy);
            endpoints.add(e.build());
        }
        builder.setEndpoints(endpoints);
        if (pki != null) {
            builder.setApplicationUri(pki.applicationUri());
            builder.setCertificateManager(certificateManager());
        }
        builder.setIdentityValidator(identityValidator());
    }

    /**
     * The logins an endpoint offers. Credentials are protected with the endpoint's own policy (a
     * password is encrypted, a user certificate's proof signed with its algorithms), not with the
     * deprecated Basic256 of Milo's stock token policies; Milo's server needs the policy named.
     */
    private List<UserTokenPolicy> tokenPolicies(ChannelSecurity channel) {
        List<UserTokenPolicy> out = new ArrayList<>();
        if (security.anonymous()) {
            out.add(new UserTokenPolicy("anonymous", UserTokenType.Anonymous, null, null, null));
        }
        if (security.password().isPresent()) {
            out.add(new UserTokenPolicy("username", UserTokenType.UserName, null, null, channel.policy().uri()));
        }
        if (security.certificateLogin()) {
            out.add(new UserTokenPolicy("certificate", UserTokenType.Certificate, null, null, channel.policy().uri()));
        }
        return out;
    }

    private IdentityValidator identityValidator() {
        List<IdentityValidator> validators = new ArrayList<>();
        if (security.anonymous()) {
            validators.add(AnonymousIdentityValidator.INSTANCE);
        }
        security.password().ifPresent(p -> validators.add(new UsernameIdentityValidator(challenge -> {
            boolean ok = p.matches(challenge.getUsername(), challenge.getPassword());
            if (!ok) {
                refusals.accept("refused the login of user '" + challenge.getUsername() + "': wrong user name or password");
            }
            return ok;
        })));
        if (security.certificateLogin()) {
            var check = new DefaultClientCertificateValidator(users.trustList(), Set.of(ValidationCheck.VALIDITY),
                    users.rejected());
            validators.add(new X509IdentityValidator(certificate -> {
                try {
                    check.validateCertificateChain(List.of(certificate), null, null);
                    return true;
                } catch (UaException e) {
                    refusals.accept("refused the login with user certificate " + describe(certificate) + ", which is not trusted: "
                            + "it was saved in " + users.rejectedCertificates() + "; move it to " + users.trustedCertificates()
                            + " to let that user in");
                    return false; // the client is told Bad_IdentityTokenRejected
                }
            }));
        }
        return new CompositeValidator(validators);
    }

    private DefaultCertificateManager certificateManager() {
        KeyPair pair = pki.keyPair();
        X509Certificate[] chain = {pki.certificate()};
        var factory = new RsaSha256CertificateFactory() {
            @Override
            protected KeyPair createRsaSha256KeyPair() {
                return pair;
            }

            @Override
            protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) {
                return chain;
            }
        };
        var check = new DefaultServerCertificateValidator(pki.peers().trustList(), CLIENT_CHECKS, pki.peers().rejected());
        CertificateValidator validator = (presented, applicationUri, hostNames) -> {
            try {
                check.validateCertificateChain(presented, applicationUri, hostNames);
            } catch (UaException e) {
                String status = StatusCodes.lookup(e.getStatusCode().getValue()).map(n -> n[0]).orElse("refused");
                // Milo answers an untrusted certificate with this status and saves it in rejected/.
                refusals.accept("refused a client with certificate " + describe(presented.getFirst())
                        + (e.getStatusCode().getValue() == StatusCodes.Bad_SecurityChecksFailed
                                ? ", which is not trusted: it was saved in " + pki.peers().rejectedCertificates() + "; move it to "
                                        + pki.peers().trustedCertificates() + " to trust that client"
                                : ": " + status));
                throw e;
            }
        };
        try {
            var group = DefaultApplicationGroup.createAndInitialize(pki.peers().trustList(), new MemoryCertificateStore(),
                    factory, validator);
            return new DefaultCertificateManager(pki.peers().rejected(), group);
        } catch (Exception e) {
            throw new KibanException("cannot set up the server certificate from " + pki.certificateFile() + ": " + e.getMessage(), e);
        }
    }

    private static String describe(X509Certificate c) {
        return "'" + c.getSubjectX500Principal().getName() + "' (SHA-1 " + Pki.thumbprint(c) + ")";
    }

    static boolean wildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    @Override
    public void close() {
        if (users != null) {
            users.close();
        }
        if (pki != null) {
            pki.close();
        }
    }
}
