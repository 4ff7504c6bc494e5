package io.funcpipe.adapters.source;

import java.nio.file.FileSystemException;
import java.util.Locale;

import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaMemoryLimitException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.exception.ZeroByteFileException;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;

/**
 * What a failed Tika parse becomes: an {@link ErrInfo} whose code says why (encrypted, corrupt,
 * too large, empty, unreadable) and whose message says what to do, with the exception's class and
 * message in the details.
 */
final class DocumentFailure {

    private DocumentFailure() {
    }

    static ErrInfo of(Throwable failure, String where, SourceOptions options) {
        ErrCode code = classify(failure);
        String why = rootMessage(failure);
        String message = switch (code) {
            case ENCRYPTED -> where + " is encrypted (password-protected) and was not read; remove the password "
                    + "or save an unprotected copy";
            case TOO_LARGE -> where + " expands past the limits and was not read (" + why + "); the limit is "
                    + options.maxDocumentChars() + " characters of text per document (maxDocumentChars), and "
                    + "archives that expand far more than their size (zip bombs) are refused";
            case EMPTY_DOCUMENT -> where + " is empty (0 bytes)";
            case IO_ERROR -> "reading " + where + " failed: " + why + "; check that it exists and is readable";
            default -> where + " is damaged or not what its type says and could not be parsed (" + why
                    + "); open and re-save it, or exclude it";
        };
        ErrInfo info = ErrInfo.of(code, message).withDetail("exception", failure.getClass().getName());
        Throwable root = root(failure);
        return root == failure ? info : info.withDetail("cause", root.getClass().getName());
    }

    static ErrCode classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DocumentHandler.LimitReached || t instanceof WriteLimitReachedException
                    || t instanceof TikaMemoryLimitException || t instanceof OutOfMemoryError
                    || mentions(t, "zip bomb")) {
                return ErrCode.TOO_LARGE;
            }
            if (t instanceof EncryptedDocumentException || t instanceof org.apache.poi.EncryptedDocumentException
                    || t.getClass().getName().equals("org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException")) {
                return ErrCode.ENCRYPTED;
            }
            if (t instanceof ZeroByteFileException) {
                return ErrCode.EMPTY_DOCUMENT;
            }
            if (t instanceof FileSystemException) {
                return ErrCode.IO_ERROR;
            }
        }
        return ErrCode.CORRUPT;
    }

    private static boolean mentions(Throwable t, String words) {
        return t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(words);
    }

    private static Throwable root(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = root(t);
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
