package kiban.connect.opcua.security;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import kiban.core.error.InvalidInputException;

/**
 * What an OPC UA server offers: one endpoint per policy and mode (policy None only with mode None),
 * the PKI folder with its certificate and the clients it trusts, and the logins it accepts. A
 * password or user-certificate login needs every endpoint secure; anonymous login is offered only
 * while neither is configured.
 *
 * @param policies         the security policies offered, in order, no duplicates
 * @param modes            the modes offered with each policy other than None
 * @param pki              the PKI folder (see {@link Pki}); needed for any policy other than None
 * @param password         a user and password that may log in, if any
 * @param certificateLogin whether users may log in with a certificate trusted in the PKI's {@code users/} folder
 */
public record ServerSecurity(List<ChannelSecurity.Policy> policies, List<ChannelSecurity.Mode> modes, Path pki,
        Optional<Login.Password> password, boolean certificateLogin) {

    /** Policy None, anonymous: for a server on loopback. */
    public static final ServerSecurity NONE = new ServerSecurity(List.of(ChannelSecurity.Policy.NONE), List.of(), null,
            Optional.empty(), false);

    public ServerSecurity {
        policies = List.copyOf(policies);
        modes = List.copyOf(modes);
        if (policies.isEmpty() || new LinkedHashSet<>(policies).size() != policies.size()) {
            throw new InvalidInputException("--security-policy", "", "one or more distinct security policies", policies.toString());
        }
        if (modes.contains(ChannelSecurity.Mode.NONE) || new LinkedHashSet<>(modes).size() != modes.size()) {
            throw new InvalidInputException("--security-mode", "", "distinct modes among Sign and SignAndEncrypt "
                    + "(None goes with policy None alone)", modes.toString());
        }
        boolean secure = policies.stream().anyMatch(p -> p != ChannelSecurity.Policy.NONE);
        if (secure && modes.isEmpty()) {
            throw new InvalidInputException("--security-mode", "", "Sign and/or SignAndEncrypt for policies " + policies, "none");
        }
        if (secure && pki == null) {
            throw new InvalidInputException("--pki", "", "a PKI folder for the server's certificate", "none");
        }
        if (policies.contains(ChannelSecurity.Policy.NONE) && (password.isPresent() || certificateLogin)) {
            // A None endpoint could only offer anonymous login, which a configured login turns off.
            throw new InvalidInputException("--security-policy", "", "policies other than None with a password or "
                    + "certificate login (credentials must not cross the network in clear)", policies.toString());
        }
    }

    /** Anonymous login is offered only where no other login is configured. */
    public boolean anonymous() {
        return password.isEmpty() && !certificateLogin;
    }

    /** Every policy and mode offered, one endpoint each. */
    public List<ChannelSecurity> channels() {
        List<ChannelSecurity> out = new java.util.ArrayList<>();
        for (ChannelSecurity.Policy p : policies) {
            if (p == ChannelSecurity.Policy.NONE) {
                out.add(ChannelSecurity.NONE);
            } else {
                modes.forEach(m -> out.add(new ChannelSecurity(p, m)));
            }
        }
        return out;
    }
}
