// A channel's posts, oldest first like the web app's center channel: a post whose type a plugin
// registered is rendered by that component with the props the web app passes (post, theme, …);
// any other post shows its message as text.
import React from 'react';
import {useSelector} from 'react-redux';
import {PluginBoundary} from './plugin_boundary';
import type {HostState} from './store';
import type {Theme} from './theme';

export function PostList({channelId, theme}: {channelId: string; theme: Theme}) {
  const order = useSelector((s: HostState) => s.entities.posts.postsInChannel[channelId]?.[0]?.order);
  const posts = useSelector((s: HostState) => s.entities.posts.posts);
  const profiles = useSelector((s: HostState) => s.entities.users.profiles);
  const postTypes = useSelector((s: HostState) => s.plugins.postTypes);
  const list = [...(order ?? [])].reverse().flatMap((id) => (posts[id] ? [posts[id]] : []));
  if (list.length === 0) return <p className='preview-empty'>No posts in this channel yet.</p>;
  return (
    <ol className='post-list'>
      {list.map((post) => {
        const entry = postTypes[post.type];
        const author = profiles[post.user_id];
        return (
          <li key={post.id} className='post' data-post-id={post.id} data-post-type={post.type || 'default'} data-author={author?.username ?? post.user_id}>
            <div className='post-header'>
              <strong>{author?.username ?? post.user_id}</strong>
              {author?.is_bot && <span className='bot-tag'>BOT</span>}
              <time dateTime={new Date(post.create_at).toISOString()}>{new Date(post.create_at).toLocaleString()}</time>
            </div>
            {entry ? (
              <PluginBoundary name={`${entry.pluginId} post type ${post.type}`}>
                <entry.component post={post} theme={theme} compactDisplay={false} isRHS={false} />
              </PluginBoundary>
            ) : (
              <p className='post-message'>{post.message}</p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
