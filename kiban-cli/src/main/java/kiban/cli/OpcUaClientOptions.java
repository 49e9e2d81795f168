package kiban.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import kiban.connect.opcua.security.ChannelSecurity;
import kiban.connect.opcua.security.ClientSecurity;
import kiban.connect.opcua.security.Login;
import kiban.connect.security.KeyFiles;
import kiban.core.error.InvalidInputException;
import picocli.CommandLine.Option;

/**
 * {@code kiban run}'s OPC UA security options (a picocli mixin): the channel the client asks for,
 * its PKI folder, and the login. Without any, the client asks for policy None and logs in
 * anonymously, which is what {@code kiban sim opcua} offers on loopback.
 */
final class OpcUaClientOptions {

    static final Path DEFAULT_PKI = Path.of("runs", "pki", "opcua-client");

    @Option(names = "--opcua-security-policy", paramLabel = "POLICY",
            description = "Security policy to ask the OPC UA server for: None, Basic256Sha256, Aes128_Sha256_RsaOaep or "
                    + "Aes256_Sha256_RsaPss (default: None).")
    String policy;

    @Option(names = "--opcua-security-mode", paramLabel = "MODE",
            description = "Sign or SignAndEncrypt, with a policy other than None (default: SignAndEncrypt).")
    String mode;

    @Option(names = "--opcua-pki", paramLabel = "DIR",
            description = "PKI folder: this client's certificate (made on first use), trusted/ and rejected/ servers "
                    + "(default: runs/pki/opcua-client).")
    Path pki;

    @Option(names = "--opcua-user", paramLabel = "NAME", description = "Log in as this user; the password comes from "
            + "--opcua-password-file or --opcua-password-env.")
    String user;

    @Option(names = "--opcua-password-file", paramLabel = "FILE", description = "The --opcua-user's password, on the first line of FILE.")
    Path passwordFile;

    @Option(names = "--opcua-password-env", paramLabel = "VAR", description = "The --opcua-user's password, in environment variable VAR.")
    String passwordEnv;

    @Option(names = "--opcua-user-cert", paramLabel = "FILE", description = "Log in with this user certificate (PEM or DER); "
            + "its key in --opcua-user-key.")
    Path userCert;

    @Option(names = "--opcua-user-key", paramLabel = "FILE", description = "The private key of --opcua-user-cert (PEM, unencrypted).")
    Path userKey;

    /** Refuses these options without {@code --opcua}, naming the first one given. */
    void requireMachine(boolean opcuaGiven) {
        String first = first();
        if (!opcuaGiven && first != null) {
            throw new InvalidInputException(first, "", "--opcua URL with it (it sets how Kiban connects to an OPC UA machine)",
                    "no --opcua");
        }
    }

    /** What the options ask for, checked; {@code warn} receives warnings for the person running Kiban. */
    ClientSecurity security(Map<String, String> environment, Consumer<String> warn) {
        ChannelSecurity.Policy p = policy == null ? ChannelSecurity.Policy.NONE
                : ChannelSecurity.Policy.parse(policy, "--opcua-security-policy");
        ChannelSecurity.Mode m;
        if (p == ChannelSecurity.Policy.NONE) {
            if (mode != null) {
                throw new InvalidInputException("--opcua-security-mode", "", "no mode with security policy None "
                        + "(choose a policy with --opcua-security-policy)", "'" + mode + "'");
            }
            m = ChannelSecurity.Mode.NONE;
        } else {
            m = mode == null ? ChannelSecurity.Mode.SIGN_AND_ENCRYPT : ChannelSecurity.Mode.parse(mode, "--opcua-security-mode");
            if (m == ChannelSecurity.Mode.NONE) {
                throw new InvalidInputException("--opcua-security-mode", "", "Sign or SignAndEncrypt with policy " + p, "None");
            }
        }
        Login login = login(environment, warn);
        if (p == ChannelSecurity.Policy.NONE && !(login instanceof Login.Anonymous)) {
            throw new InvalidInputException(user != null ? "--opcua-user" : "--opcua-user-cert", "",
                    "--opcua-security-policy other than None with it (over None the credentials would cross the network in clear)",
                    "security policy None");
        }
        if (p == ChannelSecurity.Policy.NONE && pki != null) {
            throw new InvalidInputException("--opcua-pki", "", "--opcua-security-policy other than None with it "
                    + "(policy None uses no certificates)", "security policy None");
        }
        return new ClientSecurity(new ChannelSecurity(p, m), p == ChannelSecurity.Policy.NONE ? null
                : pki == null ? DEFAULT_PKI : pki, login);
    }

    private Login login(Map<String, String> environment, Consumer<String> warn) {
        Secrets.Source source = new Secrets.Source(passwordFile, "--opcua-password-file", passwordEnv, "--opcua-password-env");
        if (user != null && (userCert != null || userKey != null)) {
            throw new InvalidInputException("--opcua-user", "", "one login: a user and password, or a user certificate",
                    "both --opcua-user and --opcua-user-cert/--opcua-user-key");
        }
        char[] password = Secrets.passwordOf(user, "--opcua-user", source, environment, warn);
        if (password != null) {
            return new Login.Password(user, password);
        }
        if ((userCert == null) != (userKey == null)) {
            throw new InvalidInputException(userCert == null ? "--opcua-user-key" : "--opcua-user-cert", "",
                    "--opcua-user-cert and --opcua-user-key together", "only one of them");
        }
        if (userCert != null) {
            var certificate = KeyFiles.readCertificates(userCert, "--opcua-user-cert").getFirst();
            var key = KeyFiles.readPrivateKey(userKey, "--opcua-user-key");
            return new Login.Certificate(certificate, key);
        }
        return Login.ANONYMOUS;
    }

    private String first() {
        if (policy != null) {
            return "--opcua-security-policy";
        }
        if (mode != null) {
            return "--opcua-security-mode";
        }
        if (pki != null) {
            return "--opcua-pki";
        }
        if (user != null) {
            return "--opcua-user";
        }
        if (passwordFile != null) {
            return "--opcua-password-file";
        }
        if (passwordEnv != null) {
            return "--opcua-password-env";
        }
        if (userCert != null) {
            return "--opcua-user-cert";
        }
        return userKey != null ? "--opcua-user-key" : null;
    }
}
