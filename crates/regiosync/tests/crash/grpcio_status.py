"""Call NodeApi.Status on a real regiosync node with Google's grpcio, as a third-party client
would: only the files `regiosync pki init` writes and stubs that grpc_tools.protoc generated
from proto/regiosync/v1/node.proto. Run by the crash test binary's `interop` module.

Prints `node: <id>` and then the whole StatusResponse; exits 1 with the gRPC code and details
on a failed call (a refused handshake shows up as UNAVAILABLE).

usage: grpcio_status.py STUBS TARGET SERVER_NAME CA_PEM CERT_PEM KEY_PEM
  STUBS        folder grpc_tools.protoc wrote (-Iproto --python_out --grpc_python_out)
  TARGET       host:port of the node, e.g. 127.0.0.1:7101
  SERVER_NAME  the name the node's certificate carries, e.g. vr01.regiosync
"""

import sys


def main(argv):
    if len(argv) != 7:
        print(__doc__, file=sys.stderr)
        return 2
    stubs, target, server_name, ca, cert, key = argv[1:]
    sys.path.insert(0, stubs)

    import grpc
    from regiosync.v1 import node_pb2, node_pb2_grpc

    def read(path):
        with open(path, "rb") as f:
            return f.read()

    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(ca),
        private_key=read(key),
        certificate_chain=read(cert),
    )
    options = [("grpc.ssl_target_name_override", server_name)]
    with grpc.secure_channel(target, credentials, options=options) as channel:
        try:
            status = node_pb2_grpc.NodeApiStub(channel).Status(node_pb2.StatusRequest(), timeout=20)
        except grpc.RpcError as e:
            print(f"NodeApi.Status failed: {e.code()}: {e.details()}", file=sys.stderr)
            return 1
    print(f"node: {status.node}")
    print(status)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
