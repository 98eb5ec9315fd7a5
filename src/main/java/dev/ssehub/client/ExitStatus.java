package dev.ssehub.client;

/** The command line's exit codes, as {@code --help} and docs/client.md list them. */
enum ExitStatus {
    OK(0),
    FAILURE(1),
    USAGE(2),
    CANNOT_CONNECT(3),
    HTTP_ERROR(4),
    NOT_AN_EVENT_STREAM(5),
    TIMEOUT(6);

    final int code;

    ExitStatus(int code) {
        this.code = code;
    }
}
