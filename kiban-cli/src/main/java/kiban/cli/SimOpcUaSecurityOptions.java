package kiban.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import kiban.connect.ServerUrl;
import kiban.connect.opcua.security.ChannelSecurity;
import kiban.connect.opcua.security.Login;
import kiban.connect.opcua.security.ServerSecurity;
import kiban.core.error.InvalidInputException;
import picocli.CommandLine.Option;

/**
 * {@code kiban sim opcua}'s security options (a picocli mixin). By default the server offers policy
 * None with anonymous login on a loopback address (the quickstart, one machine), and on any other
 * address only the three secure policies with SignAndEncrypt, to clients whose certificate is
 * trusted in its PKI folder.
 */
final class SimOpcUaSecurityOptions {

    static final Path DEFAULT_PKI = Path.of("runs", "pki", "sim-opcua");

    @Option(names = "--security-policy", split = ",", paramLabel = "POLICY",
            description = "Security policies to offer, comma-separated: None, Basic256Sha256, Aes128_Sha256_RsaOaep, "
                    + "Aes256_Sha256_RsaPss (default: None on a loopback --host, the other three otherwise).")
    List<String> policies;

    @Option(names = "--security-mode", split = ",", paramLabel = "MODE",
            description = "Modes to offer with each policy other than None: Sign, SignAndEncrypt (default: SignAndEncrypt).")
    List<String> modes;

    @Option(names = "--pki", paramLabel = "DIR", description = "PKI folder: the server's certificate (made on first use), "
            + "trusted/ and rejected/ clients (default: runs/pki/sim-opcua).")
    Path pki;

    @Option(names = "--user", paramLabel = "NAME", description = "Accept this user, with the password from --password-file or "
            + "--password-env, instead of anonymous logins.")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "The --user's password, on the first line of FILE.")
    Path passwordFile;

    @Option(names = "--password-env", paramLabel = "VAR", description = "The --user's password, in environment variable VAR.")
    String passwordEnv;

    @Option(names = "--certificate-login", description = "Accept users logging in with a certificate trusted in PKI/users/trusted/certs, "
            + "instead of anonymous logins.")
    boolean certificateLogin;

    ServerSecurity security(String host, Map<String, String> environment, Consumer<String> warn) {
        boolean loopback = ServerUrl.loopback(host);
        Optional<Login.Password> password = password(environment, warn);
        boolean login = password.isPresent() || certificateLogin;
        List<ChannelSecurity.Policy> offered = new ArrayList<>();
        if (policies == null) {
            offered.addAll(loopback && !login ? List.of(ChannelSecurity.Policy.NONE) : ChannelSecurity.Policy.SECURE);
        } else {
            for (String p : policies) {
                offered.add(ChannelSecurity.Policy.parse(p, "--security-policy"));
            }
        }
        boolean secure = offered.stream().anyMatch(p -> p != ChannelSecurity.Policy.NONE);
        List<ChannelSecurity.Mode> withPolicies = new ArrayList<>();
        if (modes != null) {
            if (!secure) {
                throw new InvalidInputException("--security-mode", "", "a --security-policy other than None with it", "policy None only");
            }
            for (String m : modes) {
                withPolicies.add(ChannelSecurity.Mode.parse(m, "--security-mode"));
            }
        } else if (secure) {
            withPolicies.add(ChannelSecurity.Mode.SIGN_AND_ENCRYPT);
        }
        if (!secure && pki != null) {
            throw new InvalidInputException("--pki", "", "a --security-policy other than None with it (policy None uses no certificates)",
                    "policy None only");
        }
        if (offered.contains(ChannelSecurity.Policy.NONE) && !loopback) {
            warn.accept("security policy None on " + host + ": anyone who can reach this port can read and drive the machine");
        }
        return new ServerSecurity(offered, withPolicies, secure ? (pki == null ? DEFAULT_PKI : pki) : null, password, certificateLogin);
    }

    private Optional<Login.Password> password(Map<String, String> environment, Consumer<String> warn) {
        char[] password = Secrets.passwordOf(user, "--user", new Secrets.Source(passwordFile, "--password-file", passwordEnv,
                "--password-env"), environment, warn);
        return password == null ? Optional.empty() : Optional.of(new Login.Password(user, password));
    }
}
