DROP INDEX "article_authors_user_idx";--> statement-breakpoint
DROP INDEX "article_tags_tag_idx";--> statement-breakpoint
DROP INDEX "articles_status_published_at_idx";--> statement-breakpoint
DROP INDEX "articles_section_published_at_idx";--> statement-breakpoint
DROP INDEX "articles_featured_idx";--> statement-breakpoint
DROP INDEX "articles_updated_at_idx";--> statement-breakpoint
CREATE INDEX "article_authors_user_idx" ON "article_authors" USING btree ("user_id","article_id");--> statement-breakpoint
CREATE INDEX "article_tags_tag_idx" ON "article_tags" USING btree ("tag_id","article_id");--> statement-breakpoint
CREATE INDEX "articles_status_published_at_idx" ON "articles" USING btree ("status","published_at" DESC NULLS FIRST,"id","slug","updated_at","section_id");--> statement-breakpoint
CREATE INDEX "articles_section_published_at_idx" ON "articles" USING btree ("section_id","published_at" DESC NULLS FIRST,"id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "articles_featured_idx" ON "articles" USING btree ("published_at" DESC NULLS FIRST) WHERE status = 'published' and is_featured;--> statement-breakpoint
CREATE INDEX "articles_updated_at_idx" ON "articles" USING btree ("updated_at" DESC NULLS FIRST);