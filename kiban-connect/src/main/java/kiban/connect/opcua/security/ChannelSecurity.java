package kiban.connect.opcua.security;

import java.util.Arrays;
import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.core.text.Suggest;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

/**
 * How an OPC UA secure channel protects messages: a security policy (the algorithms) and a message
 * security mode. Policy None goes with mode None only, and every other policy with Sign or
 * SignAndEncrypt. Only the policies OPC UA does not mark deprecated are offered.
 */
public record ChannelSecurity(Policy policy, Mode mode) {

    /** No signatures, no encryption: for a loopback connection or a closed test network. */
    public static final ChannelSecurity NONE = new ChannelSecurity(Policy.NONE, Mode.NONE);

    /** Security policies, named as OPC UA writes them. */
    public enum Policy {
        NONE("None", SecurityPolicy.None),
        BASIC256SHA256("Basic256Sha256", SecurityPolicy.Basic256Sha256),
        AES128_SHA256_RSAOAEP("Aes128_Sha256_RsaOaep", SecurityPolicy.Aes128_Sha256_RsaOaep),
        AES256_SHA256_RSAPSS("Aes256_Sha256_RsaPss", SecurityPolicy.Aes256_Sha256_RsaPss);

        /** Every policy that signs and encrypts: what a server offers by default when it is exposed. */
        public static final List<Policy> SECURE = List.of(BASIC256SHA256, AES128_SHA256_RSAOAEP, AES256_SHA256_RSAPSS);

        private final String label;
        private final SecurityPolicy milo;

        Policy(String label, SecurityPolicy milo) {
            this.label = label;
            this.milo = milo;
        }

        public SecurityPolicy milo() {
            return milo;
        }

        public String uri() {
            return milo.getUri();
        }

        @Override
        public String toString() {
            return label;
        }

        /** The policy named {@code text} (any letter case); {@code source} names the option in errors. */
        public static Policy parse(String text, String source) {
            return ChannelSecurity.parse(values(), text, source, "a security policy");
        }

        /** The policy of {@code uri}, such as a server's endpoint lists; empty for one Kiban does not support. */
        public static java.util.Optional<Policy> fromUri(String uri) {
            return Arrays.stream(values()).filter(p -> p.uri().equals(uri)).findFirst();
        }
    }

    /** Message security modes. */
    public enum Mode {
        NONE("None", MessageSecurityMode.None),
        SIGN("Sign", MessageSecurityMode.Sign),
        SIGN_AND_ENCRYPT("SignAndEncrypt", MessageSecurityMode.SignAndEncrypt);

        private final String label;
        private final MessageSecurityMode milo;

        Mode(String label, MessageSecurityMode milo) {
            this.label = label;
            this.milo = milo;
        }

        public MessageSecurityMode milo() {
            return milo;
        }

        @Override
        public String toString() {
            return label;
        }

        public static Mode parse(String text, String source) {
            return ChannelSecurity.parse(values(), text, source, "a message security mode");
        }

        public static java.util.Optional<Mode> fromMilo(MessageSecurityMode mode) {
            return Arrays.stream(values()).filter(m -> m.milo == mode).findFirst();
        }
    }

    public ChannelSecurity {
        if (policy == null || mode == null) {
            throw new IllegalArgumentException("a security policy and a mode are both needed");
        }
        if ((policy == Policy.NONE) != (mode == Mode.NONE)) {
            throw new InvalidInputException("OPC UA security", "", policy == Policy.NONE
                    ? "mode None with security policy None (nothing to sign with)"
                    : "mode Sign or SignAndEncrypt with security policy " + policy, "mode " + mode);
        }
    }

    public boolean secure() {
        return policy != Policy.NONE;
    }

    @Override
    public String toString() {
        return policy + "/" + mode;
    }

    private static <E extends Enum<E>> E parse(E[] values, String text, String source, String what) {
        List<String> names = Arrays.stream(values).map(Object::toString).toList();
        String given = text == null ? "" : text.strip();
        for (E e : values) {
            if (e.toString().equalsIgnoreCase(given)) {
                return e;
            }
        }
        throw new InvalidInputException(source, "", what + ": one of " + String.join(", ", names)
                + Suggest.didYouMean(given, names), "'" + text + "'");
    }
}
