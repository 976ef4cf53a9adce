package io.llmgateway.infra;

import com.pulumi.aws.dynamodb.Table;
import com.pulumi.aws.dynamodb.TableArgs;
import com.pulumi.aws.dynamodb.inputs.TableAttributeArgs;
import com.pulumi.aws.dynamodb.inputs.TablePointInTimeRecoveryArgs;
import com.pulumi.aws.dynamodb.inputs.TableServerSideEncryptionArgs;
import com.pulumi.aws.dynamodb.inputs.TableTtlArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import io.llmgateway.common.ResponseStoreSettings;
import java.util.Map;

/**
 * The stored Responses API responses ({@code responses.store.enabled}): one on-demand DynamoDB table keyed
 * by the response id, with TTL on {@value ResponseStoreSettings#TTL_ATTRIBUTE} and server-side
 * encryption with the AWS managed key ({@code aws/dynamodb}) set explicitly, so its use shows in
 * CloudTrail. Every table is encrypted at rest; without the setting DynamoDB uses an AWS owned key
 * ("Encryption at rest: How it works",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html).
 *
 * <p>Point-in-time recovery stays off: it would keep a deleted response restorable for up to 35 days,
 * and DELETE is meant to remove it.
 *
 * <p>Children: {@code <name>-table}.
 */
public final class ResponsesTable extends ComponentResource {

    public static final String TYPE = "llm-gateway:infra:ResponsesTable";

    private final Table table;

    /** @param tableName the table's name: the token table's with {@code -responses}, which the backend derives */
    public ResponsesTable(String name, String tableName, ComponentResourceOptions options) {
        super(TYPE, name, options);
        this.table = new Table(Names.child(name, "table"), TableArgs.builder()
                .name(tableName)
                .billingMode(TokenTable.BILLING_MODE)
                .hashKey(ResponseStoreSettings.KEY)
                .attributes(TableAttributeArgs.builder().name(ResponseStoreSettings.KEY).type("S").build())
                .ttl(TableTtlArgs.builder().attributeName(ResponseStoreSettings.TTL_ATTRIBUTE).enabled(true).build())
                .serverSideEncryption(TableServerSideEncryptionArgs.builder().enabled(true).build())
                .pointInTimeRecovery(TablePointInTimeRecoveryArgs.builder().enabled(false).build())
                .build(), CustomResourceOptions.builder().parent(this).build());
        registerOutputs(Map.of("tableName", table.name()));
    }

    public Output<String> tableName() {
        return table.name();
    }

    public Output<String> tableArn() {
        return table.arn();
    }
}
