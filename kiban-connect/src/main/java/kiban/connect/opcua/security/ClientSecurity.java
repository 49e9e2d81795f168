package kiban.connect.opcua.security;

import java.nio.file.Path;
import kiban.core.error.InvalidInputException;

/**
 * What an OPC UA client asks of the server: the secure channel, the PKI folder with its own
 * certificate and the servers it trusts, and the login.
 *
 * @param channel the endpoint's policy and mode the client will accept; exactly this one
 * @param pki     the PKI folder (see {@link Pki}); needed, and created, only for a secure channel
 * @param login   the user; a password or a user certificate only over a secure channel, where the
 *                password is encrypted and the certificate's signature means something
 */
public record ClientSecurity(ChannelSecurity channel, Path pki, Login login) {

    /** Policy None, anonymous: what Kiban did before security, and what {@code kiban sim opcua} offers on loopback. */
    public static final ClientSecurity NONE = new ClientSecurity(ChannelSecurity.NONE, null, Login.ANONYMOUS);

    public ClientSecurity {
        if (channel == null || login == null) {
            throw new IllegalArgumentException("a channel security and a login are both needed");
        }
        if (!channel.secure() && !(login instanceof Login.Anonymous)) {
            throw new InvalidInputException("OPC UA security", "", "a secure channel (a security policy other than None) to log in as "
                    + login + ", so that the credentials do not cross the network in clear", "security policy None");
        }
        if (channel.secure() && pki == null) {
            throw new InvalidInputException("OPC UA security", "", "a PKI folder for the client's certificate with policy "
                    + channel.policy(), "none");
        }
    }
}
