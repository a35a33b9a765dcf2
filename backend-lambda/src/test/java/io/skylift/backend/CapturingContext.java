package io.skylift.backend;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The Lambda runtime's context, keeping every line the handler logs so tests can read them. */
final class CapturingContext implements Context {

    private final StringBuffer logs = new StringBuffer();
    private final LambdaLogger logger = new LambdaLogger() {
        @Override
        public void log(String message) {
            logs.append(message);
        }

        @Override
        public void log(byte[] message) {
            logs.append(new String(message, StandardCharsets.UTF_8));
        }
    };

    String logs() {
        return logs.toString();
    }

    @Override public String getAwsRequestId() { return UUID.randomUUID().toString(); }
    @Override public String getLogGroupName() { return "/aws/lambda/skylift-test"; }
    @Override public String getLogStreamName() { return "test"; }
    @Override public String getFunctionName() { return "skylift-test"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:skylift-test"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return 29_000; }
    @Override public int getMemoryLimitInMB() { return 512; }
    @Override public LambdaLogger getLogger() { return logger; }
}
