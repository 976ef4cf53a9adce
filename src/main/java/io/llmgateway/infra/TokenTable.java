package io.llmgateway.infra;

import com.pulumi.aws.dynamodb.Table;
import com.pulumi.aws.dynamodb.TableArgs;
import com.pulumi.aws.dynamodb.TableItem;
import com.pulumi.aws.dynamodb.TableItemArgs;
import com.pulumi.aws.dynamodb.inputs.TableAttributeArgs;
import com.pulumi.aws.dynamodb.inputs.TablePointInTimeRecoveryArgs;
import com.pulumi.aws.dynamodb.inputs.TableTtlArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.llmgateway.common.EntitlementItems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The token table and the entitlements in it: one on-demand DynamoDB table with TTL on
 * {@value #TTL_ATTRIBUTE} (counter items expire after their window) and point-in-time recovery as
 * configured, and one {@code TableItem} per entitlement item ({@link EntitlementItems}): the plans, and
 * the key-to-plan map in shards. The items are built from the API key ids, which only AWS knows; that
 * happens inside {@code apply}, which is fine for a resource input, and no resource is ever declared
 * there.
 *
 * <p>The backend writes only counter items ({@code usage#...}); the stack writes only entitlement
 * items. The provider reads a {@code TableItem} back whole and deletes on update every attribute it
 * did not configure (terraform-provider-aws, {@code internal/service/dynamodb/table_item.go}), so the
 * two must never share an item.
 *
 * <p>Children: {@code <name>-table}, {@code <name>-plans}, {@code <name>-keys-<n>}.
 */
public final class TokenTable extends ComponentResource {

    public static final String TYPE = "llm-gateway:infra:TokenTable";
    static final String TTL_ATTRIBUTE = "expiresAt";
    static final String BILLING_MODE = "PAY_PER_REQUEST";

    private final Table table;
    private final List<Resource> items = new ArrayList<>();
    private final Output<String> version;

    public TokenTable(String name, TokenTableArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
        this.table = new Table(Names.child(name, "table"), TableArgs.builder()
                .name(args.tableName())
                .billingMode(BILLING_MODE)
                .hashKey(EntitlementItems.PARTITION_KEY)
                .rangeKey(EntitlementItems.SORT_KEY)
                .attributes(
                        TableAttributeArgs.builder().name(EntitlementItems.PARTITION_KEY).type("S").build(),
                        TableAttributeArgs.builder().name(EntitlementItems.SORT_KEY).type("S").build())
                .ttl(TableTtlArgs.builder().attributeName(TTL_ATTRIBUTE).enabled(true).build())
                .pointInTimeRecovery(TablePointInTimeRecoveryArgs.builder()
                        .enabled(args.pointInTimeRecovery())
                        .build())
                .build(), child);

        int shards = EntitlementItems.shardCount(args.planByClient().size());
        Output<List<EntitlementItems.Item>> snapshot = Output.tuple(args.apiKeyIds(), args.routing()).applyValue(t -> {
            Map<String, String> planByKeyId = new LinkedHashMap<>();
            args.planByClient().forEach((client, plan) -> planByKeyId.put(t.t1.get(client), plan));
            return EntitlementItems.items(t.t2.route(args.planLimits()), planByKeyId, shards);
        });
        this.version = snapshot.applyValue(list -> list.get(0).version());
        for (int i = 0; i <= shards; i++) {
            int index = i;
            String logical = i == 0 ? Names.child(name, "plans") : Names.child(name, "keys-" + (i - 1));
            items.add(new TableItem(logical, TableItemArgs.builder()
                    .tableName(table.name())
                    .hashKey(EntitlementItems.PARTITION_KEY)
                    .rangeKey(EntitlementItems.SORT_KEY)
                    .item(snapshot.applyValue(list -> list.get(index).toDynamoJson()))
                    .build(), child));
        }
        registerOutputs(Map.of(
                "tableName", table.name(),
                "entitlementsVersion", version));
    }

    public Output<String> tableName() {
        return table.name();
    }

    public Output<String> tableArn() {
        return table.arn();
    }

    /** The content hash on every entitlement item: the stage variable's value. */
    public Output<String> entitlementsVersion() {
        return version;
    }

    /** The entitlement items: the stage and every key's plan membership wait for them. */
    public List<Resource> entitlementItems() {
        return List.copyOf(items);
    }
}
