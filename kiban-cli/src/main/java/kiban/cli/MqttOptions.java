package kiban.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import kiban.connect.mqtt.MqttSecurity;
import kiban.connect.security.KeyFiles;
import kiban.core.error.InvalidInputException;
import picocli.CommandLine.Option;

/** {@code kiban run}'s MQTT security options (a picocli mixin): the TLS trust and the login. */
final class MqttOptions {

    @Option(names = "--mqtt-trust", paramLabel = "FILE", description = "Certificates (PEM or DER) an mqtts:// broker's "
            + "certificate must be signed by, or be (default: the JVM's CAs).")
    Path trust;

    @Option(names = "--mqtt-user", paramLabel = "NAME", description = "Log in to the broker as this user; the password comes from "
            + "--mqtt-password-file or --mqtt-password-env.")
    String user;

    @Option(names = "--mqtt-password-file", paramLabel = "FILE", description = "The --mqtt-user's password, on the first line of FILE.")
    Path passwordFile;

    @Option(names = "--mqtt-password-env", paramLabel = "VAR", description = "The --mqtt-user's password, in environment variable VAR.")
    String passwordEnv;

    @Option(names = "--mqtt-allow-plaintext-password", description = "Send the password over mqtt:// (no TLS) to a broker on "
            + "another machine; without it only mqtts:// or a loopback broker gets one.")
    boolean allowPlaintext;

    /** Refuses these options without {@code --mqtt}, naming the first one given. */
    void requireBroker(boolean mqttGiven) {
        String first = trust != null ? "--mqtt-trust" : user != null ? "--mqtt-user" : passwordFile != null ? "--mqtt-password-file"
                : passwordEnv != null ? "--mqtt-password-env" : allowPlaintext ? "--mqtt-allow-plaintext-password" : null;
        if (!mqttGiven && first != null) {
            throw new InvalidInputException(first, "", "--mqtt URL with it (it sets how Kiban connects to the MQTT broker)", "no --mqtt");
        }
    }

    MqttSecurity security(Map<String, String> environment, Consumer<String> warn) {
        char[] password = Secrets.passwordOf(user, "--mqtt-user", new Secrets.Source(passwordFile, "--mqtt-password-file",
                passwordEnv, "--mqtt-password-env"), environment, warn);
        return new MqttSecurity(trust == null ? List.of() : KeyFiles.readCertificates(trust, "--mqtt-trust"), user, password,
                allowPlaintext);
    }
}
