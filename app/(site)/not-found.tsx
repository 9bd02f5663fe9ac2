import { NotFoundMessage } from "@/components/site/not-found-message";

// Inside the site layout: masthead and section navigation stay.
export default function SiteNotFound() {
  return <NotFoundMessage />;
}
