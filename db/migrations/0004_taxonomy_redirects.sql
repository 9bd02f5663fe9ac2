CREATE TABLE "taxonomy_redirects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"from_slug" text NOT NULL,
	"section_id" uuid,
	"tag_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "taxonomy_redirects_target_check" CHECK (("taxonomy_redirects"."kind" = 'section' and "taxonomy_redirects"."section_id" is not null and "taxonomy_redirects"."tag_id" is null) or ("taxonomy_redirects"."kind" = 'tag' and "taxonomy_redirects"."tag_id" is not null and "taxonomy_redirects"."section_id" is null))
);
--> statement-breakpoint
ALTER TABLE "taxonomy_redirects" ADD CONSTRAINT "taxonomy_redirects_section_id_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "public"."sections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taxonomy_redirects" ADD CONSTRAINT "taxonomy_redirects_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "taxonomy_redirects_kind_from_slug_idx" ON "taxonomy_redirects" USING btree ("kind","from_slug");--> statement-breakpoint
CREATE INDEX "taxonomy_redirects_section_idx" ON "taxonomy_redirects" USING btree ("section_id");--> statement-breakpoint
CREATE INDEX "taxonomy_redirects_tag_idx" ON "taxonomy_redirects" USING btree ("tag_id");