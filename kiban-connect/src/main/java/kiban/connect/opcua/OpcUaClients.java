package kiban.connect.opcua;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kiban.connect.opcua.security.ChannelSecurity;
import kiban.connect.opcua.security.ClientSecurity;
import kiban.connect.opcua.security.Login;
import kiban.connect.opcua.security.Pki;
import kiban.connect.opcua.security.Providers;
import kiban.core.error.KibanException;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Opens a Milo client session with exactly the security asked for: asks the server for its
 * endpoints, takes the one with the requested policy and mode that accepts the requested login, and
 * connects with this application's certificate from the PKI folder, checking the server's against
 * the folder's trust list. Every refusal becomes one message saying who refused what and what to do.
 */
final class OpcUaClients {

    /** What a server's certificate must pass beyond being trusted. */
    static final Set<ValidationCheck> SERVER_CHECKS = Set.of(ValidationCheck.HOSTNAME, ValidationCheck.VALIDITY,
            ValidationCheck.APPLICATION_URI, ValidationCheck.KEY_USAGE_END_ENTITY,
            ValidationCheck.EXTENDED_KEY_USAGE_END_ENTITY, ValidationCheck.REVOCATION);

    /** A connected client and the PKI whose folder watch it keeps open. */
    record Link(OpcUaClient client, Pki pki) implements AutoCloseable {

        @Override
        public void close() {
            if (pki != null) {
                pki.close();
            }
        }
    }

    private OpcUaClients() {}

    static Link connect(OpcUaEndpoint endpoint, ClientSecurity security, int timeoutMillis) {
        EndpointDescription chosen = choose(endpoint, security, discover(endpoint, timeoutMillis));
        Pki pki = null;
        ServerCertificateCheck check = null;
        OpcUaClient client;
        try {
            OpcUaClientConfigBuilder config = OpcUaClientConfig.builder()
                    .setEndpoint(chosen)
                    .setApplicationName(LocalizedText.english("Kiban runtime"))
                    .setApplicationUri("urn:kiban:connect:client")
                    .setRequestTimeout(uint(timeoutMillis));
            if (security.channel().secure()) {
                Providers.install();
                // The names this client may be reached by (servers may check them): loopback's and this machine's.
                pki = Pki.open(security.pki(), () -> new Pki.Subject("Kiban runtime", "urn:kiban:runtime",
                        Pki.certificateHosts("localhost")), "--opcua-pki");
                check = new ServerCertificateCheck(new DefaultClientCertificateValidator(pki.peers().trustList(),
                        SERVER_CHECKS, pki.peers().rejected()));
                config.setApplicationUri(pki.applicationUri())
                        .setKeyPair(pki.keyPair())
                        .setCertificate(pki.certificate())
                        .setCertificateChain(new X509Certificate[] {pki.certificate()})
                        .setCertificateValidator(check)
                        .setIdentityProvider(identity(security.login(), check));
            }
            client = OpcUaClient.create(config.build(), transport -> transport.setConnectTimeout(uint(timeoutMillis)));
        } catch (UaException | RuntimeException e) {
            if (pki != null) {
                pki.close();
            }
            if (e instanceof KibanException k) {
                throw k;
            }
            throw new KibanException("cannot set up the OPC UA client for " + endpoint.url() + ": " + e.getMessage(), e);
        }
        try {
            client.connect();
            return new Link(client, pki);
        } catch (UaException | RuntimeException e) {
            try {
                client.disconnectAsync().get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // already failing; the refusal below is what matters
            }
            if (pki != null) {
                pki.close();
            }
            throw ConnectFailures.explain(e, endpoint, security, chosen, pki, check == null ? null : check.refusal());
        }
    }

    private static IdentityProvider identity(Login login, CertificateValidator validator) {
        return switch (login) {
            case Login.Anonymous a -> AnonymousProvider.INSTANCE;
            case Login.Password p -> new UsernameProvider(p.user(), new String(p.password()), validator);
            case Login.Certificate c -> new X509IdentityProvider(c.certificate(), c.key());
        };
    }

    /** The server's endpoints, asked over an unsecured channel as OPC UA's discovery is. */
    private static List<EndpointDescription> discover(OpcUaEndpoint endpoint, int timeoutMillis) {
        try {
            return DiscoveryClient.getEndpoints(endpoint.url(), t -> t.setConnectTimeout(uint(timeoutMillis)))
                    .get(timeoutMillis + 1000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KibanException("cannot reach the OPC UA server at " + endpoint.url() + ": " + ConnectFailures.describe(cause), e);
        } catch (TimeoutException e) {
            throw new KibanException("cannot reach the OPC UA server at " + endpoint.url() + ": no answer within "
                    + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KibanException("interrupted while asking " + endpoint.url() + " for its endpoints", e);
        }
    }

    /** The endpoint of the requested policy and mode that offers the requested login; else a refusal naming what is offered. */
    static EndpointDescription choose(OpcUaEndpoint endpoint, ClientSecurity security, List<EndpointDescription> offered) {
        ChannelSecurity want = security.channel();
        UserTokenType token = tokenType(security.login());
        List<EndpointDescription> sameChannel = offered.stream()
                .filter(e -> want.policy().uri().equals(e.getSecurityPolicyUri()) && want.mode().milo() == e.getSecurityMode())
                .toList();
        Optional<EndpointDescription> match = sameChannel.stream().filter(e -> tokens(e).contains(token)).findFirst();
        if (match.isPresent()) {
            // the server may advertise a host name this machine cannot resolve
            return EndpointUtil.updateUrl(match.get(), endpoint.host(), endpoint.port());
        }
        String offers = describe(offered);
        if (sameChannel.isEmpty()) {
            throw new KibanException("the OPC UA server at " + endpoint.url() + " offers " + offers + "; this client asked for "
                    + want + " (choose one the server offers, or change the server's)");
        }
        throw new KibanException("the OPC UA server at " + endpoint.url() + " offers " + offers + "; this client asked for "
                + want + " with " + tokenName(token) + " login, which that endpoint does not accept");
    }

    /** "Basic256Sha256/SignAndEncrypt (username, certificate), None/None (anonymous)". */
    static String describe(List<EndpointDescription> endpoints) {
        Set<String> out = new LinkedHashSet<>();
        for (EndpointDescription e : endpoints) {
            String policy = ChannelSecurity.Policy.fromUri(e.getSecurityPolicyUri()).map(Object::toString)
                    .orElse(e.getSecurityPolicyUri() + " (not supported by Kiban)");
            String mode = ChannelSecurity.Mode.fromMilo(e.getSecurityMode()).map(Object::toString)
                    .orElse(String.valueOf(e.getSecurityMode()));
            out.add(policy + "/" + mode + " (logins: " + String.join(", ", tokens(e).stream().map(OpcUaClients::tokenName).toList()) + ")");
        }
        return out.isEmpty() ? "no endpoints" : String.join(", ", out);
    }

    private static List<UserTokenType> tokens(EndpointDescription e) {
        List<UserTokenType> out = new ArrayList<>();
        UserTokenPolicy[] policies = e.getUserIdentityTokens();
        if (policies != null) {
            for (UserTokenPolicy p : policies) {
                if (!out.contains(p.getTokenType())) {
                    out.add(p.getTokenType());
                }
            }
        }
        return out;
    }

    private static UserTokenType tokenType(Login login) {
        return switch (login) {
            case Login.Anonymous a -> UserTokenType.Anonymous;
            case Login.Password p -> UserTokenType.UserName;
            case Login.Certificate c -> UserTokenType.Certificate;
        };
    }

    private static String tokenName(UserTokenType type) {
        return switch (type) {
            case Anonymous -> "anonymous";
            case UserName -> "user name and password";
            case Certificate -> "user certificate";
            case IssuedToken -> "issued token";
        };
    }

    /** The subject and thumbprint of the certificate an endpoint carries, for messages. */
    static String certificateOf(EndpointDescription e) {
        try {
            X509Certificate c = CertificateUtil.decodeCertificate(e.getServerCertificate().bytesOrEmpty());
            return "'" + c.getSubjectX500Principal().getName() + "' (SHA-1 thumbprint " + Pki.thumbprint(c) + ")";
        } catch (UaException | RuntimeException ex) {
            return "(unreadable)";
        }
    }
}
