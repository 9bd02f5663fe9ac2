import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ListingHeader, ListingView } from "@/components/site/listing-view";
import { getAuthorListing } from "@/lib/authors/queries";
import { loadListing, pagePath } from "@/lib/listing-params";
import { pageMetadata } from "@/lib/seo/metadata";
import { getSiteSettings } from "@/lib/settings";

export const revalidate = 600;
export const dynamicParams = true;
export function generateStaticParams() {
  return [];
}

type Props = { params: Promise<{ slug: string; page?: string[] }> };

const load = (params: Props["params"]) => loadListing(params, getAuthorListing);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const listing = await load(params);
  if (!listing) return {};
  const title = listing.page > 1 ? `${listing.author.name} (page ${listing.page})` : listing.author.name;
  return pageMetadata(await getSiteSettings(), { title, description: listing.author.bio, path: pagePath(`/author/${listing.author.slug}`, listing.page) });
}

export default async function AuthorPage({ params }: Props) {
  const [listing, { timeZone }] = await Promise.all([load(params), getSiteSettings()]);
  if (!listing) notFound();
  const { author } = listing;
  return (
    <>
      <ListingHeader kicker="Author" title={author.name}>
        <div className="mt-4 flex items-start gap-4">
          {author.photo && (
            // eslint-disable-next-line @next/next/no-img-element -- our own variants via srcset
            <img src={author.photo.src} srcSet={author.photo.srcSet} sizes="96px" width={96} height={96} alt={author.photo.alt} className="size-24 rounded-full object-cover" />
          )}
          {author.bio && <p className="max-w-prose text-muted">{author.bio}</p>}
        </div>
      </ListingHeader>
      <ListingView basePath={`/author/${author.slug}`} listing={listing} timeZone={timeZone} empty={`${author.name} has no published stories yet.`} />
    </>
  );
}
