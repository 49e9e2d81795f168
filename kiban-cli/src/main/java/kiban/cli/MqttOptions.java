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
        Secrets.Source source = new Secrets.Source(passwordFile, "--mqtt-password-file", passwordEnv, "--mqtt-password-env");
        char[] password = null;
        if (user != null) {
            if (user.isBlank()) {
                throw new InvalidInputException("--mqtt-user", "", "a user name", "an empty one");
            }
            if (!source.given()) {
                throw new InvalidInputException("--mqtt-user", "", "its password from --mqtt-password-file FILE or --mqtt-password-env VAR",
                        "neither");
            }
            password = Secrets.read(source, environment, warn);
        } else if (source.given()) {
            throw new InvalidInputException(passwordFile != null ? "--mqtt-password-file" : "--mqtt-password-env", "",
                    "--mqtt-user NAME with it", "no --mqtt-user");
        }
        return new MqttSecurity(trust == null ? List.of() : KeyFiles.readCertificates(trust, "--mqtt-trust"), user, password,
                allowPlaintext);
    }
}
