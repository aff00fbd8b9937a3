package com.heygem.app.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import org.junit.jupiter.api.Test;

/** Which hosts a pull may reach; literal addresses only, so no test depends on DNS. */
class AddressPolicyTest {
    private static void refused(AddressPolicy p, String host) {
        assertThatThrownBy(() -> p.check(host, "http://" + host + "/a.m3u8")).as(host)
                .isInstanceOfSatisfying(HeyGemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_REFUSED);
                    assertThat(e.messageEn()).contains(host);
                    assertThat(e.messageZh()).contains(host);
                });
    }

    @Test
    void byDefaultThePublicInternetIsAllowedAndTheServersOwnNetworksAreNot() {
        AddressPolicy p = new AddressPolicy("");
        for (String host : new String[] {"127.0.0.1", "127.8.9.10", "10.0.0.5", "172.16.3.4", "192.168.1.1",
                "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "fe80::1",
                "fd00::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3", "64:ff9b::a00:1"}) {
            refused(p, host);
        }
        for (String host : new String[] {"8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"}) {
            assertThat(p.check(host, host).getHostAddress()).as(host).isNotEmpty();
        }
        assertThat(p.listed()).isFalse();
    }

    @Test
    void aListAllowsOnlyWhatIsOnIt() {
        AddressPolicy p = new AddressPolicy(" 127.0.0.1, 10.1.0.0/16 ,fd12::/16");
        assertThat(p.listed()).isTrue();
        p.check("127.0.0.1", "x");
        p.check("10.1.200.3", "x");
        p.check("fd12:3456::1", "x");
        refused(p, "127.0.0.2");
        refused(p, "10.2.0.1");
        refused(p, "8.8.8.8"); // public, but not listed
    }

    @Test
    void aBadListIsASettingError() {
        for (String bad : new String[] {"10.0.0.0/33", "10.0.0.0/x", "1.2.3.4/-1"}) {
            assertThatThrownBy(() -> new AddressPolicy(bad)).as(bad).isInstanceOfSatisfying(HeyGemException.class,
                    e -> assertThat(e.messageEn()).contains("import.allowHosts"));
        }
    }
}
