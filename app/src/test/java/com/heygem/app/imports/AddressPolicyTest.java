package com.heygem.app.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.source.SourceAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Which hosts the server may connect to for a user; literal addresses only, so no test depends on DNS. */
class AddressPolicyTest {
    /** Refused in the words of a host that does not answer, naming only the address as given. */
    private static void refused(AddressPolicy p, String host, int port) {
        String shown = "rtmp://" + host + ":" + port + "/app/s";
        assertThatThrownBy(() -> p.check(host, port, shown)).as(host + ":" + port)
                .isInstanceOfSatisfying(HeyGemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
                    assertThat(e.messageEn()).contains(shown).contains(SourceAddress.NO_ANSWER.en())
                            .doesNotContain("allowHosts").doesNotContain("own network");
                    assertThat(e.messageZh()).contains(SourceAddress.NO_ANSWER.zh());
                });
    }

    private static String allowed(AddressPolicy p, String host, int port) {
        InetSocketAddress a = p.check(host, port, host);
        assertThat(a.getPort()).isEqualTo(port);
        return a.getAddress().getHostAddress();
    }

    @Test
    void byDefaultThePublicInternetIsAllowedAndTheServersOwnNetworksAreNot() {
        AddressPolicy p = new AddressPolicy("");
        for (String host : new String[] {"127.0.0.1", "127.8.9.10", "10.0.0.5", "172.16.3.4", "192.168.1.1",
                "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "[::1]", "fe80::1",
                "fd00::1", "::ffff:127.0.0.1", "[::ffff:127.0.0.1]", "::ffff:10.1.2.3", "64:ff9b::a00:1", "::",
                "::127.0.0.1", "2002:7f00:1::1", "2002:a00:1::"}) {
            refused(p, host, 1935);
        }
        for (String host : new String[] {"8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"}) {
            assertThat(allowed(p, host, 443)).as(host).isNotEmpty();
        }
        assertThat(p.listed()).isFalse();
    }

    /** The bypass: Java read 0177.0.0.1 as 177.0.0.1 while FFmpeg connected to 127.0.0.1. */
    @Test
    void everySpellingOfAnInternalAddressIsReadAsTheCLibraryReadsIt() {
        AddressPolicy p = new AddressPolicy("");
        for (String host : new String[] {"0177.0.0.1", "0177.1", "0x7f.0.0.1", "0x7f.1", "0x7f000001", "2130706433",
                "017700000001", "127.1", "127.0.1", "012.1.2.3", "0xa.0x1.2.3", "0300.0250.1.1", "3232235777",
                "0xA9FEA9FE"}) {
            refused(p, host, 1935);
        }
        // Numbers that no form reads are unknown names (the C library would ask DNS), never a public address.
        for (String host : new String[] {"0179.0.0.1", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "0x1ffffffff"}) {
            assertThatThrownBy(() -> p.check(host, 80, host)).as(host).isInstanceOfSatisfying(HeyGemException.class,
                    e -> assertThat(e.messageEn()).contains("host name is not known"));
        }
        // Public addresses in the same spellings are allowed, and connected to as read.
        assertThat(allowed(p, "010.010.010.010", 80)).isEqualTo("8.8.8.8");
        assertThat(allowed(p, "0x8080808", 80)).isEqualTo("8.8.8.8");
        assertThat(allowed(p, "134744072", 80)).isEqualTo("8.8.8.8");
    }

    @Test
    void aListAllowsOnlyWhatIsOnItAndAnEntryMayNameItsPort() {
        AddressPolicy p = new AddressPolicy(" 127.0.0.1:18081, 10.1.0.0/16 ,fd12::/16, [::1]:8080, 192.168.5.5");
        assertThat(p.listed()).isTrue();
        assertThat(allowed(p, "127.0.0.1", 18081)).isEqualTo("127.0.0.1");
        assertThat(allowed(p, "0177.0.0.1", 18081)).as("any spelling of it").isEqualTo("127.0.0.1");
        refused(p, "127.0.0.1", 18082); // that port only
        refused(p, "127.0.0.1", 22);
        allowed(p, "10.1.200.3", 5432);
        allowed(p, "fd12:3456::1", 443);
        allowed(p, "[::1]", 8080);
        refused(p, "::1", 8081);
        allowed(p, "192.168.5.5", 1);
        refused(p, "127.0.0.2", 18081);
        refused(p, "10.2.0.1", 80);
        refused(p, "8.8.8.8", 443); // public, but not listed
    }

    @Test
    void aBadEntryIsASettingErrorThatNamesIt() {
        for (String bad : new String[] {"10.0.0.0/33", "10.0.0.0/x", "1.2.3.4/-1", "127.0.0.1:0", "127.0.0.1:99999",
                "127.0.0.1:http", "[::1", "[::1]x", "0179.0.0.1", "host_name.example", "a..b"}) {
            assertThatThrownBy(() -> new AddressPolicy(bad)).as(bad).isInstanceOfSatisfying(HeyGemException.class,
                    e -> assertThat(e.messageEn()).contains("import.allowHosts").contains(bad));
        }
        assertThat(new AddressPolicy("cdn.example.com:8443, cdn.example.com").listed()).isTrue();
    }
}
