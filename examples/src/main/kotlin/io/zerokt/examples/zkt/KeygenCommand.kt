package io.zerokt.examples.zkt

import io.zerokt.security.CurveKeyPair
import picocli.CommandLine.Command

/** `zkt keygen`: prints a new CURVE key pair (libzmq's `curve_keygen`). */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = [
        "Prints a new CURVE key pair as two lines, 'public: Z85' and 'secret: Z85'",
        "(40 characters each, as zmq_curve_keypair makes them).",
    ],
    footer = [
        "", "Example:",
        "  zkt keygen",
        "  zkt echo -t rep -b tcp://*:5556 --curve-server --curve-secret-key SERVER_SECRET",
        "  zkt cat -t req -c tcp://127.0.0.1:5556 --curve-server-key SERVER_PUBLIC \\\\",
        "      --curve-public-key CLIENT_PUBLIC --curve-secret-key CLIENT_SECRET",
    ],
)
class KeygenCommand : ZktSubcommand() {
    override suspend fun execute(): Int {
        val keys = CurveKeyPair.generate()
        io.out.println("public: ${keys.publicKeyZ85}")
        io.out.println("secret: ${keys.secretKeyZ85}")
        return 0
    }
}
