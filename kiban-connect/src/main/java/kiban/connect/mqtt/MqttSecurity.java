package kiban.connect.mqtt;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * How {@link MqttTelemetry} proves itself to the broker and checks the broker: the certificates it
 * trusts for {@code mqtts://} (none: the JVM's default CAs), and a user name and password (MQTT's
 * CONNECT credentials). A password is sent over plain {@code mqtt://} only to a loopback broker, or
 * when {@code plaintextPassword} says the network is trusted.
 *
 * @param trust             CA or broker certificates a TLS broker's chain must end in; empty for the JVM's defaults
 * @param user              the user name, or null for none
 * @param password          the password, with a user only
 * @param plaintextPassword allow the password over plain TCP to a broker that is not on this machine
 */
public record MqttSecurity(List<X509Certificate> trust, String user, char[] password, boolean plaintextPassword) {

    /** No TLS trust of its own, no login. */
    public static final MqttSecurity NONE = new MqttSecurity(List.of(), null, null, false);

    public MqttSecurity {
        trust = List.copyOf(trust);
        if ((user == null) != (password == null) || (user != null && (user.isEmpty() || password.length == 0))) {
            throw new IllegalArgumentException("an MQTT user and password go together, both non-empty");
        }
        password = password == null ? null : password.clone();
    }

    @Override
    public char[] password() {
        return password == null ? null : password.clone();
    }

    @Override
    public String toString() {
        return "MqttSecurity[trust=" + trust.size() + " certificates, user=" + user + "]";
    }
}
