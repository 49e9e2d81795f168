package kiban.connect.opcua.security;

import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The JCA provider OPC UA's RSA-PSS policy needs (Milo names its algorithms as BouncyCastle does). */
public final class Providers {

    private Providers() {}

    public static synchronized void install() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }
}
