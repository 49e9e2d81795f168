package kiban.connect.mqtt;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;

/** TLS and the login for Paho, and what a refused connection means. */
final class MqttTls {

    private MqttTls() {}

    /** Puts {@code security} into {@code options} for the broker of {@code url}, refusing what would leak a password. */
    static void configure(MqttConnectOptions options, MqttUrl url, MqttSecurity security) {
        if (!url.tls() && !security.trust().isEmpty()) {
            throw new InvalidInputException("--mqtt", "", "an mqtts:// URL to go with trusted certificates (they check a TLS broker)",
                    "'mqtt://" + url.host() + ":" + url.port() + "'");
        }
        if (security.user() != null && !url.tls() && !url.loopback() && !security.plaintextPassword()) {
            throw new InvalidInputException("--mqtt", "", "an mqtts:// URL to send a password to a broker on another machine "
                    + "(over mqtt:// anyone on the network can read it), or plaintext allowed explicitly",
                    "'mqtt://" + url.host() + ":" + url.port() + "'");
        }
        if (url.tls()) {
            options.setSocketFactory(context(security).getSocketFactory());
            options.setHttpsHostnameVerificationEnabled(true); // the certificate must name the host we dialled
        }
        if (security.user() != null) {
            options.setUserName(security.user());
            options.setPassword(security.password());
        }
    }

    private static SSLContext context(MqttSecurity security) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (security.trust().isEmpty()) {
                trust.init((KeyStore) null); // the JVM's CAs, for a broker with a public certificate
            } else {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (X509Certificate c : security.trust()) {
                    store.setCertificateEntry("trusted-" + i++, c);
                }
                trust.init(store);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new KibanException("cannot set up TLS for MQTT: " + e.getMessage(), e);
        }
    }

    /** One message for a failed connect: the login, the broker's certificate, or the network. */
    static KibanException explain(MqttException e, MqttUrl url, MqttSecurity security) {
        String at = "the MQTT broker at " + url.serverUri();
        int code = e.getReasonCode();
        if (code == MqttException.REASON_CODE_FAILED_AUTHENTICATION || code == MqttException.REASON_CODE_NOT_AUTHORIZED) {
            String who = security.user() == null ? "a connection without a login" : "user '" + security.user() + "'";
            return new KibanException(at + " refused " + who + " (MQTT return code " + code + ": "
                    + (security.user() == null ? "it requires a user and password" : "wrong user name or password, or not allowed") + ")", e);
        }
        Throwable tls = cause(e, SSLException.class, CertificateException.class);
        if (tls != null) {
            return new KibanException(at + " presented a TLS certificate this client does not accept: " + root(tls).getMessage()
                    + (security.trust().isEmpty() ? " (give its CA or its own certificate as the trusted certificates)"
                            : " (it is not signed by the trusted certificates, or does not name the host '" + url.host() + "')"), e);
        }
        return new KibanException("cannot connect to " + at + ": " + root(e).getMessage(), e);
    }

    @SafeVarargs
    private static Throwable cause(Throwable t, Class<? extends Throwable>... kinds) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            for (Class<? extends Throwable> k : kinds) {
                if (k.isInstance(c)) {
                    return c;
                }
            }
        }
        return null;
    }

    private static Throwable root(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? t : r;
    }
}
