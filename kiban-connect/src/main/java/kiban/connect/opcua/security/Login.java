package kiban.connect.opcua.security;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/** How an OPC UA client logs in once its secure channel is open: the session's user identity token. */
public sealed interface Login {

    /** No user: what a server allows only when it trusts the client application alone. */
    record Anonymous() implements Login {

        @Override
        public String toString() {
            return "anonymous";
        }
    }

    /** A user name and password; the password never appears in {@link #toString()}. */
    record Password(String user, char[] password) implements Login {

        public Password {
            if (user == null || user.isEmpty() || password == null || password.length == 0) {
                throw new IllegalArgumentException("a user name and a password, both non-empty");
            }
            password = password.clone();
        }

        @Override
        public char[] password() {
            return password.clone();
        }

        /** Compares in time independent of where the passwords differ. */
        public boolean matches(String user, String password) {
            byte[] a = new String(this.password).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] b = password == null ? new byte[0] : password.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            boolean same = java.security.MessageDigest.isEqual(a, b);
            Arrays.fill(a, (byte) 0);
            return same & this.user.equals(user);
        }

        @Override
        public String toString() {
            return "user '" + user + "'";
        }
    }

    /** A user certificate and its private key, which signs the server's nonce to prove the holder. */
    record Certificate(X509Certificate certificate, PrivateKey key) implements Login {

        public Certificate {
            if (certificate == null || key == null) {
                throw new IllegalArgumentException("a user certificate and its private key");
            }
        }

        @Override
        public String toString() {
            return "user certificate '" + certificate.getSubjectX500Principal().getName() + "'";
        }
    }

    Login ANONYMOUS = new Anonymous();
}
